import "server-only";
import type { Db } from "@/lib/db";
import type { ReportFilters } from "@/lib/reports/filters";
import { resolveScope } from "@/lib/reports/scope";
import { ticketAnalysis } from "@/lib/reports/tickets";
import { agentPerformance } from "@/lib/reports/agents";
import { chatReport } from "@/lib/reports/chats";
import { slaReport } from "@/lib/reports/sla";

export const REPORTS = { tickets: ticketAnalysis, agents: agentPerformance, chats: chatReport, sla: slaReport } as const;
export type ReportName = keyof typeof REPORTS;
export type ReportData<N extends ReportName> = Awaited<ReturnType<(typeof REPORTS)[N]>>;

/** One report for a viewer: the filters narrowed to the brands they may see. */
export async function runReport<N extends ReportName>(db: Db, input: { name: N; filters: ReportFilters; brandIds: string[]; now?: Date }): Promise<ReportData<N>> {
  const scope = await resolveScope(db, input);
  return (REPORTS[input.name] as (db: Db, s: typeof scope) => Promise<ReportData<N>>)(db, scope);
}
