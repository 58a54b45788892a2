import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import type { DayRange } from "@/lib/reports/range";
import { inRange, ticketScope } from "@/lib/reports/sql";
import { ratio } from "@/lib/reports/stats";

export type SlaCounts = { tickets: number; met: number; breached: number; metRate: number | null; firstResponseBreached: number; resolutionBreached: number };
export type SlaRow = SlaCounts & { key: string | null; label: string | null };
export type AtRisk = { number: number; subject: string; priority: string; target: "firstResponse" | "resolution"; dueAt: Date; assignee: string | null };
export type SlaReport = { range: DayRange; previous: DayRange; totals: SlaCounts; previousTotals: SlaCounts; byPolicy: SlaRow[]; byPriority: SlaRow[]; byAgent: SlaRow[]; atRisk: AtRisk[] };

/** How far ahead "at risk" looks: tickets whose next target falls due within this many minutes. */
export const AT_RISK_MINUTES = 120;

type Raw = { level: number; key: string | null; label: string | null; tickets: number; met: number; breached: number; fr: number; res: number };

async function load(db: Db, s: ReportScope, r: DayRange): Promise<Raw[]> {
  const now = s.now;
  // Per ticket: a target is breached when answered/resolved after its due time, or still
  // not done once it has passed; met when done in time. A ticket is met when no target is breached
  // and every target it has is done; tickets still within their targets are neither.
  return db.$queryRaw<Raw[]>`
    WITH x AS (
      SELECT t."slaPolicyId", p.name AS policy, t.priority::text AS priority, t."assigneeId", u.name AS assignee,
        (t."firstResponseDueAt" IS NOT NULL AND COALESCE(t."firstResponseAt", ${now}) > t."firstResponseDueAt") AS fr_breach,
        (t."resolutionDueAt" IS NOT NULL AND (CASE WHEN t.status IN ('RESOLVED', 'CLOSED') THEN t."resolvedAt" ELSE ${now} END) > t."resolutionDueAt") AS res_breach,
        ((t."firstResponseDueAt" IS NULL OR t."firstResponseAt" IS NOT NULL) AND (t."resolutionDueAt" IS NULL OR t.status IN ('RESOLVED', 'CLOSED'))) AS done
      FROM "Ticket" t
        LEFT JOIN "SlaPolicy" p ON p.id = t."slaPolicyId" LEFT JOIN "User" u ON u.id = t."assigneeId"
      WHERE ${ticketScope(s)} AND (t."firstResponseDueAt" IS NOT NULL OR t."resolutionDueAt" IS NOT NULL)
        AND ${inRange(s, Prisma.sql`t."createdAt"`, r)}
    )
    SELECT GROUPING("slaPolicyId", priority, "assigneeId")::int AS level,
      CASE GROUPING("slaPolicyId", priority, "assigneeId") WHEN 3 THEN "slaPolicyId" WHEN 5 THEN priority WHEN 6 THEN "assigneeId" END AS key,
      CASE GROUPING("slaPolicyId", priority, "assigneeId") WHEN 3 THEN max(policy) WHEN 5 THEN priority WHEN 6 THEN max(assignee) END AS label,
      count(*)::int AS tickets,
      count(*) FILTER (WHERE done AND NOT fr_breach AND NOT res_breach)::int AS met,
      count(*) FILTER (WHERE fr_breach OR res_breach)::int AS breached,
      count(*) FILTER (WHERE fr_breach)::int AS fr, count(*) FILTER (WHERE res_breach)::int AS res
    FROM x GROUP BY GROUPING SETS (("slaPolicyId"), (priority), ("assigneeId"), ())`;
}

const counts = (r: Raw | undefined): SlaCounts => ({
  tickets: r?.tickets ?? 0,
  met: r?.met ?? 0,
  breached: r?.breached ?? 0,
  metRate: ratio(r?.met ?? 0, (r?.met ?? 0) + (r?.breached ?? 0)),
  firstResponseBreached: r?.fr ?? 0,
  resolutionBreached: r?.res ?? 0,
});

// GROUPING bitmask (policy, priority, assignee): 1 = bit for the last argument left out.
const LEVEL = { policy: 0b011, priority: 0b101, agent: 0b110, total: 0b111 } as const;
const PRIORITY_ORDER = ["HIGHEST", "HIGH", "MEDIUM", "LOW", "LOWEST"];

async function atRisk(db: Db, s: ReportScope): Promise<AtRisk[]> {
  const horizon = new Date(s.now.getTime() + AT_RISK_MINUTES * 60_000);
  return db.$queryRaw<AtRisk[]>`
    SELECT t.number, t.subject, t.priority::text AS priority, d.target, d."dueAt", u.name AS assignee
    FROM "Ticket" t LEFT JOIN "User" u ON u.id = t."assigneeId"
    CROSS JOIN LATERAL (
      SELECT CASE WHEN t."firstResponseAt" IS NULL AND t."firstResponseDueAt" IS NOT NULL THEN 'firstResponse' ELSE 'resolution' END AS target,
             CASE WHEN t."firstResponseAt" IS NULL AND t."firstResponseDueAt" IS NOT NULL THEN t."firstResponseDueAt" ELSE t."resolutionDueAt" END AS "dueAt"
    ) d
    WHERE ${ticketScope(s)} AND t.status IN ('OPEN', 'PENDING') AND t."slaPausedAt" IS NULL
      AND d."dueAt" > ${s.now} AND d."dueAt" <= ${horizon}
    ORDER BY d."dueAt" ASC, t.number ASC LIMIT 50`;
}

/** R5: SLA met rate, breaches by policy, priority and agent (tickets created in the range), and tickets at risk now. */
export async function slaReport(db: Db, s: ReportScope): Promise<SlaReport> {
  const [cur, prev, risk] = await Promise.all([load(db, s, s.range), load(db, s, s.previous), atRisk(db, s)]);
  const rows = (level: number) => cur.filter((r) => r.level === level).map((r) => ({ key: r.key, label: r.label, ...counts(r) }));
  return {
    range: s.range,
    previous: s.previous,
    totals: counts(cur.find((r) => r.level === LEVEL.total)),
    previousTotals: counts(prev.find((r) => r.level === LEVEL.total)),
    byPolicy: rows(LEVEL.policy).sort((a, b) => b.breached - a.breached || (a.label ?? "").localeCompare(b.label ?? "")),
    byPriority: rows(LEVEL.priority).sort((a, b) => PRIORITY_ORDER.indexOf(a.key ?? "") - PRIORITY_ORDER.indexOf(b.key ?? "")),
    byAgent: rows(LEVEL.agent).sort((a, b) => b.breached - a.breached || (a.label ?? "").localeCompare(b.label ?? "")),
    atRisk: risk,
  };
}
