import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { loadReportPage } from "@/lib/reports/page";
import { BREAKDOWNS, type Breakdown } from "@/lib/reports/tickets";
import { change } from "@/lib/reports/stats";
import { filtersToParams, type TicketFilters } from "@/lib/tickets/filters";
import { Alert, Card } from "@/components/ui/misc";
import { ReportFiltersBar } from "@/components/reports/report-filters";
import { BarChart, LineChart } from "@/components/reports/bar-chart";
import { ReportTable } from "@/components/reports/report-table";
import { Stat } from "@/components/reports/stat";
import { reportLabels } from "@/components/reports/i18n";

type Params = Promise<Record<string, string | string[] | undefined>>;

export default async function TicketReportPage({ searchParams }: { searchParams: Params }) {
  const user = await requirePermission("reports.view");
  const page = await loadReportPage(db, { name: "tickets", user, params: await searchParams, selectedBrandId: await selectedBrandId(user) });
  const { t, locale, units, headers } = await reportLabels();
  const { data, filters } = page;
  const inbox = (f: Partial<TicketFilters>) => `/inbox?${filtersToParams({ brandId: filters.brandId, groupId: filters.groupId, ...f }).toString()}`;
  const range = { createdFrom: data.range.from, createdTo: data.range.to, zone: "brand" as const };
  const drill: Record<Breakdown, (key: string) => Partial<TicketFilters>> = {
    channel: (k) => ({ channel: [k as never] }),
    status: (k) => ({ status: [k as never] }),
    type: (k) => ({ typeId: k }),
    topic: (k) => ({ topicId: k }),
    brand: (k) => ({ brandId: k }),
    tag: (k) => ({ tags: [k] }),
  };
  const nf = new Intl.NumberFormat(locale);
  const days = data.days.map((d) => d.day);
  const table = (id: string) => page.tables.find((x) => x.id === id)!;
  const labelOf = (b: Breakdown, key: string | null, label: string | null) =>
    key === null ? t("none") : b === "channel" ? t(`channel.${key}`) : b === "status" ? t(`status.${key}`) : (label ?? key);
  return (
    <div className="space-y-6" data-testid="report-tickets">
      <ReportFiltersBar filters={filters} brands={page.brands} groups={page.groups} range={data.range} previous={data.previous} timeZone={page.timeZone} />
      {page.errors.length > 0 && <Alert>{page.errors.join(" ")}</Alert>}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Stat label={t("tickets.created")} value={nf.format(data.totals.created)} previous={nf.format(data.previousTotals.created)} change={change(data.totals.created, data.previousTotals.created)} previousLabel={t("previous")} testId="total-created" />
        <Stat label={t("tickets.resolved")} value={nf.format(data.totals.resolved)} previous={nf.format(data.previousTotals.resolved)} change={change(data.totals.resolved, data.previousTotals.resolved)} previousLabel={t("previous")} testId="total-resolved" />
        <Stat label={t("tickets.backlog")} value={nf.format(data.totals.backlog)} previous={nf.format(data.previousTotals.backlog)} change={change(data.totals.backlog, data.previousTotals.backlog)} betterWhenLower previousLabel={t("previous")} testId="total-backlog" />
      </div>
      <Card className="grid gap-6 p-4 lg:grid-cols-2">
        <div>
          <h2 className="mb-2 text-sm font-semibold">{t("tickets.createdVsResolved")}</h2>
          <BarChart
            title={t("tickets.createdVsResolved")}
            labels={days}
            series={[
              { name: t("columns.created"), color: "#4f46e5", values: data.days.map((d) => d.created) },
              { name: t("columns.resolved"), color: "#10b981", values: data.days.map((d) => d.resolved) },
            ]}
            hrefs={data.days.map((d) => (d.created ? inbox({ createdFrom: d.day, createdTo: d.day, zone: "brand" }) : null))}
            testId="chart-days"
          />
          <h2 className="mb-2 mt-4 text-sm font-semibold">{t("tickets.backlogOverTime")}</h2>
          <LineChart title={t("tickets.backlogOverTime")} labels={days} values={data.days.map((d) => d.backlog)} testId="chart-backlog" />
        </div>
        <div className="max-h-[28rem] overflow-y-auto">
          <ReportTable table={table("days")} caption={t("tickets.perDay")} headers={headers} csvHref={page.csvHref("days")} csvLabel={t("csv")} emptyLabel={t("empty")} units={units} locale={locale} />
        </div>
      </Card>
      <div className="flex justify-end">
        <a href={page.csvHref("rows")} download className="text-xs font-medium text-indigo-700 hover:underline" data-testid="csv-rows">{t("tickets.allRows")}</a>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {BREAKDOWNS.map((b) => {
          const rows = data.breakdowns[b];
          const tb = table(`by-${b}`);
          const labelled = { ...tb, rows: tb.rows.map((r, i) => [r[0] ?? null, labelOf(b, rows[i]!.key, rows[i]!.label), r[2] ?? null]) };
          const hrefs = rows.map((r) => (r.key === null ? null : inbox({ ...range, ...drill[b](r.key) })));
          return (
            <Card key={b} className="p-4" >
              <h2 className="mb-2 text-sm font-semibold">{t(`tickets.by.${b}`)}</h2>
              {rows.length > 0 && <BarChart title={t(`tickets.by.${b}`)} labels={rows.map((r) => labelOf(b, r.key, r.label))} series={[{ name: t("columns.tickets"), color: "#6366f1", values: rows.map((r) => r.count) }]} hrefs={hrefs} testId={`chart-by-${b}`} />}
              <ReportTable table={labelled} caption={t(`tickets.by.${b}`)} headers={headers} csvHref={page.csvHref(`by-${b}`)} csvLabel={t("csv")} emptyLabel={t("empty")} units={units} locale={locale} rowHrefs={hrefs} hidden={["key"]} />
            </Card>
          );
        })}
      </div>
    </div>
  );
}
