import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { reportFiltersFromParams, reportFiltersToParams, type ReportFilters } from "@/lib/reports/filters";
import { runReport, type ReportData, type ReportName } from "@/lib/reports/service";
import { reportTables, type Table } from "@/lib/reports/tables";

export type ReportPage<N extends ReportName> = {
  filters: ReportFilters;
  errors: string[];
  data: ReportData<N>;
  tables: Table[];
  brands: { id: string; name: string; timezone: string }[];
  groups: { id: string; name: string }[];
  timeZone: string;
  csvHref: (table: string) => string;
};

/** Everything a dashboard page renders: filters from the URL (the switcher's brand by default), the report and its tables. */
export async function loadReportPage<N extends ReportName>(db: Db, input: { name: N; user: CurrentUser; params: Record<string, string | string[] | undefined>; selectedBrandId: string | null }): Promise<ReportPage<N>> {
  const { filters, errors } = reportFiltersFromParams(input.params);
  if (!("brandId" in input.params) && input.selectedBrandId) filters.brandId = input.selectedBrandId;
  // "all" (or a brand the viewer cannot see) means every brand of theirs.
  if (filters.brandId && !input.user.brandIds.includes(filters.brandId)) filters.brandId = undefined;
  const [data, brands, groups] = await Promise.all([
    runReport(db, { name: input.name, filters, brandIds: input.user.brandIds }),
    db.brand.findMany({ where: { id: { in: input.user.brandIds } }, select: { id: true, name: true, timezone: true }, orderBy: { name: "asc" } }),
    db.group.findMany({
      where: filters.brandId ? { brands: { some: { brandId: filters.brandId } } } : { brands: { some: { brandId: { in: input.user.brandIds } } } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
  ]);
  const query = reportFiltersToParams(filters);
  return {
    filters,
    errors,
    data,
    tables: reportTables(input.name, data),
    brands,
    groups,
    timeZone: brands.find((b) => b.id === filters.brandId)?.timezone ?? "UTC",
    csvHref: (table) => `/api/reports/csv?report=${input.name}&table=${table}&${query.toString()}`,
  };
}
