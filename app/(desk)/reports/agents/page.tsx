import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { loadReportPage } from "@/lib/reports/page";
import { change } from "@/lib/reports/stats";
import { filtersToParams } from "@/lib/tickets/filters";
import { Alert, Card } from "@/components/ui/misc";
import { ReportFiltersBar } from "@/components/reports/report-filters";
import { BarChart } from "@/components/reports/bar-chart";
import { ReportTable } from "@/components/reports/report-table";
import { Stat } from "@/components/reports/stat";
import { formatDuration, formatRate } from "@/components/reports/format";
import { reportLabels } from "@/components/reports/i18n";

type Params = Promise<Record<string, string | string[] | undefined>>;

export default async function AgentReportPage({ searchParams }: { searchParams: Params }) {
  const user = await requirePermission("reports.view");
  const page = await loadReportPage(db, { name: "agents", user, params: await searchParams, selectedBrandId: await selectedBrandId(user) });
  const { t, locale, units, headers } = await reportLabels();
  const { data, filters } = page;
  const cur = data.total;
  const prev = data.previousTotal;
  const d = (s: number | null) => formatDuration(s, units);
  const nf = new Intl.NumberFormat(locale);
  const inbox = (assignee: string) => `/inbox?${filtersToParams({ brandId: filters.brandId, groupId: filters.groupId, assignee }).toString()}`;
  const agentsTable = page.tables.find((x) => x.id === "agents")!;
  const groupsTable = page.tables.find((x) => x.id === "groups")!;
  const named = (rows: typeof data.agents) => rows.map((r) => r.name ?? t("noGroup"));
  return (
    <div className="space-y-6" data-testid="report-agents">
      <ReportFiltersBar filters={filters} brands={page.brands} groups={page.groups} range={data.range} previous={data.previous} timeZone={page.timeZone} />
      {page.errors.length > 0 && <Alert>{page.errors.join(" ")}</Alert>}
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label={t("columns.replies")} value={nf.format(cur.replies)} previous={nf.format(prev.replies)} change={change(cur.replies, prev.replies)} previousLabel={t("previous")} testId="total-replies" />
        <Stat label={t("columns.firstResponseMedian")} value={d(cur.firstResponse.median)} previous={d(prev.firstResponse.median)} change={change(cur.firstResponse.median, prev.firstResponse.median)} betterWhenLower previousLabel={t("previous")} />
        <Stat label={t("columns.firstResponseBusinessMedian")} value={d(cur.firstResponse.businessMedian)} previous={d(prev.firstResponse.businessMedian)} change={change(cur.firstResponse.businessMedian, prev.firstResponse.businessMedian)} betterWhenLower previousLabel={t("previous")} />
        <Stat label={t("columns.resolutionMedian")} value={d(cur.resolution.median)} previous={d(prev.resolution.median)} change={change(cur.resolution.median, prev.resolution.median)} betterWhenLower previousLabel={t("previous")} />
        <Stat label={t("columns.reopenRate")} value={formatRate(cur.reopenRate, locale)} previous={formatRate(prev.reopenRate, locale)} change={change(cur.reopenRate, prev.reopenRate)} betterWhenLower previousLabel={t("previous")} />
      </div>
      <Card className="p-4">
        <h2 className="mb-2 text-sm font-semibold">{t("agents.perAgent")}</h2>
        {data.agents.length > 0 && (
          <BarChart
            title={t("agents.perAgent")}
            labels={named(data.agents)}
            series={[
              { name: t("columns.ticketsHandled"), color: "#4f46e5", values: data.agents.map((a) => a.ticketsHandled) },
              { name: t("columns.resolved"), color: "#10b981", values: data.agents.map((a) => a.resolved) },
            ]}
            hrefs={data.agents.map((a) => (a.id ? inbox(a.id) : null))}
            testId="chart-agents"
          />
        )}
        <ReportTable table={agentsTable} caption={t("agents.perAgent")} headers={headers} csvHref={page.csvHref("agents")} csvLabel={t("csv")} emptyLabel={t("empty")} units={units} locale={locale} rowHrefs={data.agents.map((a) => (a.id ? inbox(a.id) : null))} />
      </Card>
      <Card className="p-4">
        <h2 className="mb-2 text-sm font-semibold">{t("agents.perGroup")}</h2>
        <ReportTable table={{ ...groupsTable, rows: groupsTable.rows.map((r, i) => [data.groups[i]!.name ?? t("noGroup"), ...r.slice(1)]) }} caption={t("agents.perGroup")} headers={headers} csvHref={page.csvHref("groups")} csvLabel={t("csv")} emptyLabel={t("empty")} units={units} locale={locale} />
      </Card>
    </div>
  );
}
