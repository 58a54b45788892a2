import Link from "next/link";
import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { loadReportPage } from "@/lib/reports/page";
import { change } from "@/lib/reports/stats";
import { AT_RISK_MINUTES } from "@/lib/reports/sla";
import { Alert, Card } from "@/components/ui/misc";
import { ReportFiltersBar } from "@/components/reports/report-filters";
import { BarChart } from "@/components/reports/bar-chart";
import { ReportTable } from "@/components/reports/report-table";
import { Stat } from "@/components/reports/stat";
import { formatRate } from "@/components/reports/format";
import { reportLabels } from "@/components/reports/i18n";

type Params = Promise<Record<string, string | string[] | undefined>>;

export default async function SlaReportPage({ searchParams }: { searchParams: Params }) {
  const user = await requirePermission("reports.view");
  const page = await loadReportPage(db, { name: "sla", user, params: await searchParams, selectedBrandId: await selectedBrandId(user) });
  const { t, locale, units, headers } = await reportLabels();
  const { data, filters } = page;
  const nf = new Intl.NumberFormat(locale);
  const table = (id: string) => page.tables.find((x) => x.id === id)!;
  const sections = [
    { id: "by-policy", rows: data.byPolicy, title: t("sla.byPolicy"), label: (l: string | null) => l ?? t("none") },
    { id: "by-priority", rows: data.byPriority, title: t("sla.byPriority"), label: (l: string | null) => (l ? t(`priority.${l}`) : t("none")) },
    { id: "by-agent", rows: data.byAgent, title: t("sla.byAgent"), label: (l: string | null) => l ?? t("unassigned") },
  ];
  return (
    <div className="space-y-6" data-testid="report-sla">
      <ReportFiltersBar filters={filters} brands={page.brands} groups={page.groups} range={data.range} previous={data.previous} timeZone={page.timeZone} />
      {page.errors.length > 0 && <Alert>{page.errors.join(" ")}</Alert>}
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label={t("columns.metRate")} value={formatRate(data.totals.metRate, locale)} previous={formatRate(data.previousTotals.metRate, locale)} change={change(data.totals.metRate, data.previousTotals.metRate)} previousLabel={t("previous")} testId="total-met-rate" />
        <Stat label={t("columns.breached")} value={nf.format(data.totals.breached)} previous={nf.format(data.previousTotals.breached)} change={change(data.totals.breached, data.previousTotals.breached)} betterWhenLower previousLabel={t("previous")} testId="total-breached" />
        <Stat label={t("columns.firstResponseBreached")} value={nf.format(data.totals.firstResponseBreached)} previous={nf.format(data.previousTotals.firstResponseBreached)} change={null} previousLabel={t("previous")} />
        <Stat label={t("columns.resolutionBreached")} value={nf.format(data.totals.resolutionBreached)} previous={nf.format(data.previousTotals.resolutionBreached)} change={null} previousLabel={t("previous")} />
      </div>
      <Card className="p-4">
        <h2 className="mb-1 text-sm font-semibold">{t("sla.atRisk")}</h2>
        <p className="mb-2 text-xs text-gray-500">{t("sla.atRiskHint", { minutes: AT_RISK_MINUTES })}</p>
        <ReportTable
          table={{ ...table("at-risk"), rows: table("at-risk").rows.map((r) => [r[0] ?? null, r[1] ?? null, r[2] ? t(`priority.${String(r[2])}`) : null, t(`sla.target.${String(r[3])}`), r[4] ?? null, r[5] ?? t("unassigned")]) }}
          caption={t("sla.atRisk")}
          headers={headers}
          csvHref={page.csvHref("at-risk")}
          csvLabel={t("csv")}
          emptyLabel={t("sla.noneAtRisk")}
          units={units}
          locale={locale}
          rowHrefs={data.atRisk.map((x) => `/tickets/${x.number}`)}
        />
      </Card>
      <div className="grid gap-4 lg:grid-cols-3">
        {sections.map((s) => (
          <Card key={s.id} className="p-4">
            <h2 className="mb-2 text-sm font-semibold">{s.title}</h2>
            {s.rows.length > 0 && (
              <BarChart
                title={s.title}
                labels={s.rows.map((r) => s.label(r.label))}
                series={[
                  { name: t("columns.met"), color: "#10b981", values: s.rows.map((r) => r.met) },
                  { name: t("columns.breached"), color: "#f43f5e", values: s.rows.map((r) => r.breached) },
                ]}
              />
            )}
            <ReportTable table={{ ...table(s.id), rows: table(s.id).rows.map((r, i) => [s.label(s.rows[i]!.label), ...r.slice(1)]) }} caption={s.title} headers={headers} csvHref={page.csvHref(s.id)} csvLabel={t("csv")} emptyLabel={t("empty")} units={units} locale={locale} />
          </Card>
        ))}
      </div>
      <p className="text-xs text-gray-500">
        <Link href="/reports/definitions" className="text-indigo-700 hover:underline">{t("definitionsLink")}</Link>
      </p>
    </div>
  );
}
