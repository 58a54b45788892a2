import "server-only";
import type { Db } from "@/lib/db";
import type { ReportFilters } from "@/lib/reports/filters";
import { resolveScope } from "@/lib/reports/scope";
import { runReport, REPORTS, type ReportName } from "@/lib/reports/service";
import { csvLine, reportTables } from "@/lib/reports/tables";
import { TICKET_ROW_COLUMNS, ticketRows } from "@/lib/reports/ticket-rows";
import { DomainError } from "@/lib/errors";

export const isReportName = (n: string): n is ReportName => n in REPORTS;

/**
 * CSV of one table, produced from the same query and table builder as the screen.
 * `report=tickets&table=rows` streams every ticket of the range in batches.
 */
export async function* reportCsv(db: Db, input: { report: string; table: string; filters: ReportFilters; brandIds: string[]; now?: Date }): AsyncGenerator<string> {
  if (!isReportName(input.report)) throw new DomainError("NOT_FOUND", `There is no report “${input.report}”.`);
  if (input.report === "tickets" && input.table === "rows") {
    const scope = await resolveScope(db, input);
    yield csvLine(TICKET_ROW_COLUMNS.map((c) => c.id));
    for await (const batch of ticketRows(db, scope)) yield batch.map(csvLine).join("");
    return;
  }
  const data = await runReport(db, { name: input.report, filters: input.filters, brandIds: input.brandIds, now: input.now });
  const table = reportTables(input.report, data).find((t) => t.id === input.table);
  if (!table) throw new DomainError("NOT_FOUND", `The ${input.report} report has no table “${input.table}”.`);
  yield csvLine(table.columns.map((c) => c.id));
  yield table.rows.map(csvLine).join("");
}
