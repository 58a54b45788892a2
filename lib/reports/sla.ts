import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import type { DayRange } from "@/lib/reports/range";
import { inRange, ticketScope } from "@/lib/reports/sql";
import { rollupDays, rollupScope } from "@/lib/reports/rollup";
import { ratio } from "@/lib/reports/stats";

export type SlaCounts = { tickets: number; met: number; breached: number; metRate: number | null; firstResponseBreached: number; resolutionBreached: number };
export type SlaRow = SlaCounts & { key: string | null; label: string | null };
export type AtRisk = { number: number; subject: string; priority: string; target: "firstResponse" | "resolution"; dueAt: Date; assignee: string | null };
export type SlaReport = { range: DayRange; previous: DayRange; totals: SlaCounts; previousTotals: SlaCounts; byPolicy: SlaRow[]; byPriority: SlaRow[]; byAgent: SlaRow[]; atRisk: AtRisk[] };

/** How far ahead "at risk" looks: tickets whose next target falls due within this many minutes. */
export const AT_RISK_MINUTES = 120;

type Raw = { level: number; key: string | null; label: string | null; tickets: number; met: number; breached: number; fr: number; res: number };

/** The report scope on ReportSlaLive (which holds only ACTIVE, unmerged tickets). */
function liveScope(s: ReportScope) {
  const w: Prisma.Sql[] = [s.brandIds.length ? Prisma.sql`l."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`];
  if (s.groupId) w.push(Prisma.sql`l."groupId" = ${s.groupId}`);
  return Prisma.join(w, " AND ");
}

async function load(db: Db, s: ReportScope, r: DayRange): Promise<Raw[]> {
  const now = s.now;
  // Per ticket: a target is breached when answered/resolved after its due time, or still
  // not done once it has passed; met when done in time. A ticket is met when no target is breached
  // and every target it has is done; tickets still within their targets are neither.
  // Tickets whose every target is done can no longer change outcome: the day rollup counts them
  // (metric "sla", key policy|priority|assignee|met breached fr res), summed per key first. Only tickets with a target
  // still running are read (ReportSlaLive, kept by triggers: migration report_sla_live), and judged
  // against now; none of them is met yet (a target is still running). A resolution target whose
  // ticket is Resolved without a resolvedAt is neither met nor breached (resolutionEnd -infinity).
  return db.$queryRaw<Raw[]>`
    WITH x AS (
      SELECT NULLIF(split_part(r.key, '|', 1), '') AS "slaPolicyId", split_part(r.key, '|', 2) AS priority, NULLIF(split_part(r.key, '|', 3), '') AS "assigneeId",
        substr(split_part(r.key, '|', 4), 1, 1) = '1' AS met, substr(split_part(r.key, '|', 4), 2, 1) = '1' AS breached,
        substr(split_part(r.key, '|', 4), 3, 1) = '1' AS fr, substr(split_part(r.key, '|', 4), 4, 1) = '1' AS res, r.n
      FROM (SELECT r.key, sum(r.n)::int AS n FROM "ReportDayCount" r WHERE ${rollupScope(s)} AND r.metric = 'sla' AND ${rollupDays(r)} AND r.n <> 0 GROUP BY r.key) r
      UNION ALL
      SELECT "slaPolicyId", priority, "assigneeId", false, COALESCE(fr_breach OR res_breach, false), COALESCE(fr_breach, false), COALESCE(res_breach, false), count(*)::int
      FROM (
        SELECT l."slaPolicyId", l.priority, l."assigneeId",
          (l."firstResponseDueAt" IS NOT NULL AND COALESCE(l."firstResponseAt", ${now}) > l."firstResponseDueAt") AS fr_breach,
          (l."resolutionDueAt" IS NOT NULL AND COALESCE(l."resolutionEnd", ${now}) > l."resolutionDueAt") AS res_breach
        FROM "ReportSlaLive" l
        WHERE ${liveScope(s)} AND ${inRange(s, Prisma.sql`l."createdAt"`, r, Prisma.sql`l."brandId"`)}
      ) live
      GROUP BY 1, 2, 3, 5, 6, 7
    )
    SELECT GROUPING(x."slaPolicyId", x.priority, x."assigneeId")::int AS level,
      CASE GROUPING(x."slaPolicyId", x.priority, x."assigneeId") WHEN 3 THEN x."slaPolicyId" WHEN 5 THEN x.priority WHEN 6 THEN x."assigneeId" END AS key,
      CASE GROUPING(x."slaPolicyId", x.priority, x."assigneeId") WHEN 3 THEN max(p.name) WHEN 5 THEN x.priority WHEN 6 THEN max(u.name) END AS label,
      sum(x.n)::int AS tickets,
      COALESCE(sum(x.n) FILTER (WHERE x.met), 0)::int AS met,
      COALESCE(sum(x.n) FILTER (WHERE x.breached), 0)::int AS breached,
      COALESCE(sum(x.n) FILTER (WHERE x.fr), 0)::int AS fr, COALESCE(sum(x.n) FILTER (WHERE x.res), 0)::int AS res
    FROM x LEFT JOIN "SlaPolicy" p ON p.id = x."slaPolicyId" LEFT JOIN "User" u ON u.id = x."assigneeId"
    GROUP BY GROUPING SETS ((x."slaPolicyId"), (x.priority), (x."assigneeId"), ())
    HAVING sum(x.n) > 0`;
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
  // The next target is the first response while it is unanswered, else the resolution: one branch
  // each, so each reads its own due-time index for the next two hours only.
  return db.$queryRaw<AtRisk[]>`
    SELECT t.number, t.subject, t.priority::text AS priority, d.target, d."dueAt", u.name AS assignee
    FROM (
      SELECT t.id, 'firstResponse' AS target, t."firstResponseDueAt" AS "dueAt" FROM "Ticket" t
      WHERE t."firstResponseAt" IS NULL AND t."firstResponseDueAt" > ${s.now} AND t."firstResponseDueAt" <= ${horizon}
      UNION ALL
      SELECT t.id, 'resolution', t."resolutionDueAt" FROM "Ticket" t
      WHERE NOT (t."firstResponseAt" IS NULL AND t."firstResponseDueAt" IS NOT NULL) AND t."resolutionDueAt" > ${s.now} AND t."resolutionDueAt" <= ${horizon}
    ) d JOIN "Ticket" t ON t.id = d.id LEFT JOIN "User" u ON u.id = t."assigneeId"
    WHERE ${ticketScope(s)} AND t.status IN ('OPEN', 'PENDING') AND t."slaPausedAt" IS NULL
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
