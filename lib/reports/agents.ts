import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import type { DayRange } from "@/lib/reports/range";
import { DONE, inRange, ticketScope } from "@/lib/reports/sql";
import { durationStats, type DurationStats, type Span } from "@/lib/reports/durations";
import { ratio } from "@/lib/reports/stats";

export type PerformanceRow = {
  id: string | null;
  name: string | null;
  ticketsHandled: number;
  replies: number;
  firstResponse: DurationStats;
  resolution: DurationStats;
  resolved: number;
  reopened: number;
  reopenRate: number | null;
};

export type Performance = { range: DayRange; previous: DayRange; agents: PerformanceRow[]; groups: PerformanceRow[]; total: PerformanceRow; previousTotal: PerformanceRow };

type FirstRow = { brandId: string; assigneeId: string | null; groupId: string | null; createdAt: Date; firstResponseAt: Date };
type ResolvedRow = { brandId: string; assigneeId: string | null; groupId: string | null; createdAt: Date; resolvedAt: Date; reopened: boolean };
type ReplyRow = { authorId: string | null; groupId: string | null; total: boolean; replies: number; handled: number };

type FirstAgg = { brandId: string; assigneeId: string | null; groupId: string | null; from: number[]; to: number[] };
type ResolvedAgg = FirstAgg & { reopened: boolean[] };

// Rows arrive aggregated per (brand, assignee, group) as arrays of epoch seconds: tens of
// thousands of tickets cost a handful of rows to transfer instead of one object each.
async function load(db: Db, s: ReportScope, r: DayRange): Promise<[FirstRow[], ResolvedRow[], ReplyRow[]]> {
  const [first, resolved, replies] = await Promise.all([
    // Agent-created tickets have no customer message to answer: they have no first response time.
    db.$queryRaw<FirstAgg[]>`
      SELECT t."brandId", t."assigneeId", t."groupId",
        array_agg(extract(epoch FROM t."createdAt")::float8) AS "from", array_agg(extract(epoch FROM t."firstResponseAt")::float8) AS "to"
      FROM "Ticket" t
      WHERE ${ticketScope(s)} AND t.channel <> 'AGENT' AND ${inRange(s, Prisma.sql`t."firstResponseAt"`, r)}
      GROUP BY 1, 2, 3`,
    db.$queryRaw<ResolvedAgg[]>`
      SELECT t."brandId", t."assigneeId", t."groupId",
        array_agg(extract(epoch FROM t."createdAt")::float8) AS "from", array_agg(extract(epoch FROM t."resolvedAt")::float8) AS "to",
        array_agg(EXISTS (SELECT 1 FROM "TicketEvent" e WHERE e."ticketId" = t.id AND e.type = 'STATUS' AND e."fromValue" = 'RESOLVED' AND e."toValue" IN ('OPEN', 'PENDING'))) AS reopened
      FROM "Ticket" t
      WHERE ${ticketScope(s)} AND ${DONE} AND ${inRange(s, Prisma.sql`t."resolvedAt"`, r)}
      GROUP BY 1, 2, 3`,
    // Replies per (agent, ticket) first: the grouping sets then count far fewer rows.
    db.$queryRaw<ReplyRow[]>`
      WITH per AS (
        SELECT m."authorId", t.id AS "ticketId", t."groupId", count(*)::int AS n
        FROM "Message" m JOIN "Ticket" t ON t.id = m."ticketId"
        WHERE m.kind = 'REPLY' AND m."authorId" IS NOT NULL AND ${ticketScope(s)} AND ${inRange(s, Prisma.sql`m."createdAt"`, r)}
        GROUP BY m."authorId", t.id, t."groupId"
      )
      SELECT "authorId", "groupId", GROUPING("authorId", "groupId") = 3 AS total, sum(n)::int AS replies, count(DISTINCT "ticketId")::int AS handled
      FROM per GROUP BY GROUPING SETS (("authorId"), ("groupId"), ())`,
  ]);
  const firstRows: FirstRow[] = [];
  for (const g of first) g.from.forEach((f, i) => firstRows.push({ brandId: g.brandId, assigneeId: g.assigneeId, groupId: g.groupId, createdAt: new Date(Math.round(f * 1000)), firstResponseAt: new Date(Math.round(g.to[i]! * 1000)) }));
  const resolvedRows: ResolvedRow[] = [];
  for (const g of resolved) g.from.forEach((f, i) => resolvedRows.push({ brandId: g.brandId, assigneeId: g.assigneeId, groupId: g.groupId, createdAt: new Date(Math.round(f * 1000)), resolvedAt: new Date(Math.round(g.to[i]! * 1000)), reopened: g.reopened[i]! }));
  return [firstRows, resolvedRows, replies];
}

function row(id: string | null, name: string | null, first: FirstRow[], resolved: ResolvedRow[], replies: ReplyRow | undefined, s: ReportScope): PerformanceRow {
  const firstSpans: Span[] = first.map((t) => ({ brandId: t.brandId, from: t.createdAt, to: t.firstResponseAt }));
  const resSpans: Span[] = resolved.map((t) => ({ brandId: t.brandId, from: t.createdAt, to: t.resolvedAt }));
  const reopened = resolved.filter((t) => t.reopened).length;
  return {
    id,
    name,
    ticketsHandled: replies?.handled ?? 0,
    replies: replies?.replies ?? 0,
    firstResponse: durationStats(firstSpans, s.calendars),
    resolution: durationStats(resSpans, s.calendars),
    resolved: resolved.length,
    reopened,
    reopenRate: ratio(reopened, resolved.length),
  };
}

function byKey<T>(rows: T[], key: (r: T) => string | null): Map<string | null, T[]> {
  const m = new Map<string | null, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

async function compute(db: Db, s: ReportScope, r: DayRange, withRows: boolean) {
  const [first, resolved, replies] = await load(db, s, r);
  const total = row(null, null, first, resolved, replies.find((x) => x.total), s);
  if (!withRows) return { total, agents: [], groups: [] };

  const agentReplies = new Map(replies.filter((x) => !x.total && x.authorId).map((x) => [x.authorId, x]));
  const groupReplies = new Map(replies.filter((x) => !x.total && !x.authorId).map((x) => [x.groupId, x]));
  const firstByAgent = byKey(first, (t) => t.assigneeId);
  const resByAgent = byKey(resolved, (t) => t.assigneeId);
  const firstByGroup = byKey(first, (t) => t.groupId);
  const resByGroup = byKey(resolved, (t) => t.groupId);

  const agentIds = [...new Set([...agentReplies.keys(), ...firstByAgent.keys(), ...resByAgent.keys()])].filter((x): x is string => !!x);
  const groupIds = [...new Set([...firstByGroup.keys(), ...resByGroup.keys(), ...(s.groupId ? [] : groupReplies.keys())])];
  const [users, groups] = await Promise.all([
    db.user.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } }),
    db.group.findMany({ where: { id: { in: groupIds.filter((x): x is string => !!x) } }, select: { id: true, name: true } }),
  ]);
  const names = new Map([...users, ...groups].map((x) => [x.id, x.name]));
  const sortRows = (rows: PerformanceRow[]) => rows.sort((a, b) => b.ticketsHandled - a.ticketsHandled || b.resolved - a.resolved || (a.name ?? "").localeCompare(b.name ?? ""));
  return {
    total,
    agents: sortRows(agentIds.map((id) => row(id, names.get(id) ?? null, firstByAgent.get(id) ?? [], resByAgent.get(id) ?? [], agentReplies.get(id), s))),
    // The "no group" row (id null) keeps the table adding up to the total.
    groups: sortRows(groupIds.map((id) => row(id, id ? (names.get(id) ?? null) : null, firstByGroup.get(id) ?? [], resByGroup.get(id) ?? [], groupReplies.get(id), s))),
  };
}

/** R2: per agent and per group — handled, replies, first response and resolution (median, p90), reopen rate. */
export async function agentPerformance(db: Db, s: ReportScope): Promise<Performance> {
  const [cur, prev] = await Promise.all([compute(db, s, s.range, true), compute(db, s, s.previous, false)]);
  return { range: s.range, previous: s.previous, agents: cur.agents, groups: cur.groups, total: cur.total, previousTotal: prev.total };
}
