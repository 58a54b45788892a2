import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { loadReportPage } from "@/lib/reports/page";
import { change } from "@/lib/reports/stats";
import { Alert, Card } from "@/components/ui/misc";
import { ReportFiltersBar } from "@/components/reports/report-filters";
import { BarChart } from "@/components/reports/bar-chart";
import { ReportTable } from "@/components/reports/report-table";
import { Stat } from "@/components/reports/stat";
import { formatDuration, formatRate } from "@/components/reports/format";
import { reportLabels } from "@/components/reports/i18n";

type Params = Promise<Record<string, string | string[] | undefined>>;

export default async function ChatReportPage({ searchParams }: { searchParams: Params }) {
  const user = await requirePermission("reports.view");
  const page = await loadReportPage(db, { name: "chats", user, params: await searchParams, selectedBrandId: await selectedBrandId(user) });
  const { t, locale, units, headers } = await reportLabels();
  const { data, filters } = page;
  const cur = data.totals;
  const prev = data.previousTotals;
  const nf = new Intl.NumberFormat(locale);
  const d = (s: number | null) => formatDuration(s, units);
  const avg = (r: number | null) => (r === null ? "—" : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(r));
  return (
    <div className="space-y-6" data-testid="report-chats">
      <ReportFiltersBar filters={filters} brands={page.brands} groups={page.groups} range={data.range} previous={data.previous} timeZone={page.timeZone} />
      {page.errors.length > 0 && <Alert>{page.errors.join(" ")}</Alert>}
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label={t("columns.chats")} value={nf.format(cur.chats)} previous={nf.format(prev.chats)} change={change(cur.chats, prev.chats)} previousLabel={t("previous")} testId="total-chats" />
        <Stat label={t("columns.missed")} value={nf.format(cur.missed)} previous={nf.format(prev.missed)} change={change(cur.missed, prev.missed)} betterWhenLower previousLabel={t("previous")} testId="total-missed" />
        <Stat label={t("chats.medianWait")} value={d(cur.medianWait)} previous={d(prev.medianWait)} change={change(cur.medianWait, prev.medianWait)} betterWhenLower previousLabel={t("previous")} />
        <Stat label={t("chats.medianDuration")} value={d(cur.medianDuration)} previous={d(prev.medianDuration)} change={null} previousLabel={t("previous")} />
        <Stat label={t("chats.csat")} value={formatRate(cur.csat, locale)} previous={formatRate(prev.csat, locale)} change={change(cur.csat, prev.csat)} previousLabel={`${t("previous")} · ${t("chats.average")} ${avg(cur.averageRating)}`} testId="total-csat" />
      </div>
      <Card className="grid gap-6 p-4 lg:grid-cols-2">
        <div>
          <h2 className="mb-2 text-sm font-semibold">{t("chats.perDay")}</h2>
          <BarChart
            title={t("chats.perDay")}
            labels={data.days.map((x) => x.day)}
            series={[
              { name: t("columns.chats"), color: "#4f46e5", values: data.days.map((x) => x.chats) },
              { name: t("columns.missed"), color: "#f43f5e", values: data.days.map((x) => x.missed) },
            ]}
            testId="chart-chat-days"
          />
        </div>
        <div className="max-h-[24rem] overflow-y-auto">
          <ReportTable table={page.tables.find((x) => x.id === "days")!} caption={t("chats.perDay")} headers={headers} csvHref={page.csvHref("days")} csvLabel={t("csv")} emptyLabel={t("empty")} units={units} locale={locale} />
        </div>
      </Card>
      <Card className="grid gap-6 p-4 lg:grid-cols-2">
        <div>
          <h2 className="mb-2 text-sm font-semibold">{t("chats.ratings")}</h2>
          <BarChart title={t("chats.ratings")} labels={data.ratings.map((r) => `★ ${r.rating}`)} series={[{ name: t("columns.chats"), color: "#f59e0b", values: data.ratings.map((r) => r.count) }]} testId="chart-ratings" />
        </div>
        <ReportTable table={page.tables.find((x) => x.id === "ratings")!} caption={t("chats.ratings")} headers={headers} csvHref={page.csvHref("ratings")} csvLabel={t("csv")} emptyLabel={t("empty")} units={units} locale={locale} />
      </Card>
    </div>
  );
}
