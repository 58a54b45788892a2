import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import type { DayRange } from "@/lib/reports/range";
import { DONE, inRange, ticketScope } from "@/lib/reports/sql";
import { rollupDays, rollupScope } from "@/lib/reports/rollup";
import type { DurationStats } from "@/lib/reports/durations";
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

/** One grouping set's durations: count, [median, p90] in calendar and in business seconds, reopened. */
type SetStats = { level: number; assigneeId: string | null; groupId: string | null; n: number; cal: number[] | null; biz: number[] | null; reopened: number };
type ReplyCounts = { replies: number; handled: number };

// GROUPING bitmask over (assignee, group): the set kept is the 0 bit.
const LEVEL = { agent: 0b01, group: 0b10, total: 0b11 } as const;

type Clock = { s: number[]; e: number[]; b: number[] };

/**
 * Each scope brand's business clock: its open periods (start, end) in epoch ms with the business ms
 * before each — lib/reports/durations.ts BusinessClock, evaluated in the database with width_bucket
 * (the same binary search), so the percentiles are computed there over exactly the seconds
 * BusinessClock gives. The window covers every ticket, so every span lies inside it.
 */
async function clocks(db: Db, s: ReportScope, end: number): Promise<Map<string, Clock>> {
  const [bounds] = await db.$queryRaw<{ min: Date | null; max: Date | null }[]>`SELECT min("createdAt") AS min, max("createdAt") AS max FROM "Ticket"`;
  const from = bounds?.min?.getTime() ?? end;
  const to = Math.max(end, bounds?.max?.getTime() ?? end, s.now.getTime());
  const out = new Map<string, Clock>();
  for (const [brand, cal] of s.calendars) {
    if (!cal || !(to > from)) continue;
    const c: Clock = { s: [], e: [], b: [] };
    let sum = 0;
    for (const p of cal.openPeriods(new Date(from), new Date(to))) {
      c.s.push(p.start.getTime());
      c.e.push(p.end.getTime());
      c.b.push(sum);
      sum += p.end.getTime() - p.start.getTime();
    }
    out.set(brand, c);
  }
  return out;
}

/** Business seconds of the span (v.f, v.t), from the clocks passed as array parameters. */
function businessSeconds(clockMap: Map<string, Clock>): Prisma.Sql {
  if (!clockMap.size) return Prisma.sql`NULL::float8`;
  const at = (c: Clock, x: Prisma.Sql) => {
    // Scalar subqueries: evaluated once per query (init plans), not once per row.
    const S = Prisma.sql`(SELECT ${c.s}::float8[])`;
    const i = Prisma.sql`width_bucket(${x}, ${S})`;
    return Prisma.sql`CASE WHEN ${i} = 0 THEN 0 ELSE (SELECT ${c.b}::float8[])[${i}] + least(${x}, (SELECT ${c.e}::float8[])[${i}]) - ${S}[${i}] END`;
  };
  const arms = [...clockMap].map(([brand, c]) => Prisma.sql`WHEN ${brand} THEN greatest(0, (${at(c, Prisma.sql`v.t`)}) - (${at(c, Prisma.sql`v.f`)})) / 1000`);
  return Prisma.sql`CASE sp."brandId" ${Prisma.join(arms, " ")} END`;
}

/**
 * Median and p90 of spans per grouping set, in the database: percentile_cont interpolates exactly as
 * lib/reports/stats.ts percentile does; brands without business hours have no business figures.
 */
function spanStats(db: Db, clockMap: Map<string, Clock>, spans: Prisma.Sql, withRows: boolean) {
  return db.$queryRaw<SetStats[]>`
    WITH x AS (
      SELECT sp."assigneeId", sp."groupId", sp.reopened, greatest(0, v.t - v.f) / 1000 AS cal, ${businessSeconds(clockMap)} AS biz
      FROM (${spans}) sp
        CROSS JOIN LATERAL (SELECT (extract(epoch FROM sp."from") * 1000)::float8 AS f, (extract(epoch FROM sp."to") * 1000)::float8 AS t) v
    )
    SELECT ${withRows ? Prisma.sql`GROUPING(x."assigneeId", x."groupId")::int AS level, x."assigneeId", x."groupId"` : Prisma.sql`${LEVEL.total}::int AS level, NULL AS "assigneeId", NULL AS "groupId"`}, count(*)::int AS n,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x.cal) AS cal, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x.biz) AS biz,
      count(*) FILTER (WHERE x.reopened)::int AS reopened
    FROM x ${withRows ? Prisma.sql`GROUP BY GROUPING SETS ((x."assigneeId"), (x."groupId"), ())` : Prisma.empty}`;
}

/**
 * Replies and tickets handled from the day rollup: replies per author and group; a ticket counts as
 * handled once in the range — on its first reply day in it (previous reply day before the range).
 */
async function replyCounts(db: Db, s: ReportScope, r: DayRange) {
  const rows = await db.$queryRaw<{ metric: string; author: string | null; groupId: string; n: number }[]>`
    SELECT r.metric, CASE WHEN r.metric <> 'handled' THEN split_part(r.key, '|', 1) END AS author, r."groupId", sum(r.n)::int AS n
    FROM "ReportDayCount" r
    WHERE ${rollupScope(s)} AND ${rollupDays(r)}
      AND (r.metric = 'replies'
        OR (r.metric = 'handledBy' AND (split_part(r.key, '|', 2) = '' OR split_part(r.key, '|', 2) < ${r.from}))
        OR (r.metric = 'handled' AND (r.key = '' OR r.key < ${r.from})))
    GROUP BY 1, 2, 3 HAVING sum(r.n) <> 0`;
  const agents = new Map<string, ReplyCounts>();
  const groups = new Map<string | null, ReplyCounts>();
  const total: ReplyCounts = { replies: 0, handled: 0 };
  const add = <K>(m: Map<K, ReplyCounts>, k: K, f: keyof ReplyCounts, n: number) => {
    const c = m.get(k) ?? { replies: 0, handled: 0 };
    c[f] += n;
    m.set(k, c);
  };
  for (const x of rows) {
    const g = x.groupId === "" ? null : x.groupId;
    if (x.metric === "replies") {
      add(agents, x.author!, "replies", x.n);
      add(groups, g, "replies", x.n);
      total.replies += x.n;
    } else if (x.metric === "handledBy") add(agents, x.author!, "handled", x.n);
    else {
      add(groups, g, "handled", x.n);
      total.handled += x.n;
    }
  }
  return { agents, groups, total };
}

async function load(db: Db, s: ReportScope, r: DayRange, withRows: boolean) {
  const clockMap = await clocks(db, s, Date.parse(`${r.to}T00:00:00Z`) + 2 * 86_400_000);
  return Promise.all([
    // Agent-created tickets have no customer message to answer: they have no first response time.
    spanStats(
      db,
      clockMap,
      Prisma.sql`SELECT t."brandId", t."assigneeId", t."groupId", t."createdAt" AS "from", t."firstResponseAt" AS "to", false AS reopened
        FROM "Ticket" t WHERE ${ticketScope(s)} AND t.channel <> 'AGENT' AND ${inRange(s, Prisma.sql`t."firstResponseAt"`, r)}`,
      withRows,
    ),
    spanStats(
      db,
      clockMap,
      Prisma.sql`SELECT t."brandId", t."assigneeId", t."groupId", t."createdAt" AS "from", t."resolvedAt" AS "to",
          EXISTS (SELECT 1 FROM "TicketEvent" e WHERE e."ticketId" = t.id AND e.type = 'STATUS' AND e."fromValue" = 'RESOLVED' AND e."toValue" IN ('OPEN', 'PENDING')) AS reopened
        FROM "Ticket" t WHERE ${ticketScope(s)} AND ${DONE} AND ${inRange(s, Prisma.sql`t."resolvedAt"`, r)}`,
      withRows,
    ),
    replyCounts(db, s, r),
  ]);
}

const round = (v: number | undefined | null) => (v === null || v === undefined ? null : Math.round(v));
function stats(x: SetStats | undefined): DurationStats {
  return { count: x?.n ?? 0, median: round(x?.cal?.[0]), p90: round(x?.cal?.[1]), businessMedian: round(x?.biz?.[0]), businessP90: round(x?.biz?.[1]) };
}

function row(id: string | null, name: string | null, first: SetStats | undefined, resolved: SetStats | undefined, replies: ReplyCounts | undefined): PerformanceRow {
  const n = resolved?.n ?? 0;
  const reopened = resolved?.reopened ?? 0;
  return {
    id,
    name,
    ticketsHandled: replies?.handled ?? 0,
    replies: replies?.replies ?? 0,
    firstResponse: stats(first),
    resolution: stats(resolved),
    resolved: n,
    reopened,
    reopenRate: ratio(reopened, n),
  };
}

async function compute(db: Db, s: ReportScope, r: DayRange, withRows: boolean) {
  const [first, resolved, replies] = await load(db, s, r, withRows);
  const at = (rows: SetStats[], level: number) => new Map(rows.filter((x) => x.level === level).map((x) => [level === LEVEL.agent ? x.assigneeId : x.groupId, x]));
  const total = row(null, null, at(first, LEVEL.total).get(null), at(resolved, LEVEL.total).get(null), replies.total);
  if (!withRows) return { total, agents: [], groups: [] };

  const firstByAgent = at(first, LEVEL.agent);
  const resByAgent = at(resolved, LEVEL.agent);
  const firstByGroup = at(first, LEVEL.group);
  const resByGroup = at(resolved, LEVEL.group);
  const agentIds = [...new Set([...replies.agents.keys(), ...firstByAgent.keys(), ...resByAgent.keys()])].filter((x): x is string => !!x);
  const groupIds = [...new Set([...firstByGroup.keys(), ...resByGroup.keys(), ...(s.groupId ? [] : replies.groups.keys())])];
  const [users, groups] = await Promise.all([
    db.user.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } }),
    db.group.findMany({ where: { id: { in: groupIds.filter((x): x is string => !!x) } }, select: { id: true, name: true } }),
  ]);
  const names = new Map([...users, ...groups].map((x) => [x.id, x.name]));
  const sortRows = (rows: PerformanceRow[]) => rows.sort((a, b) => b.ticketsHandled - a.ticketsHandled || b.resolved - a.resolved || (a.name ?? "").localeCompare(b.name ?? ""));
  return {
    total,
    agents: sortRows(agentIds.map((id) => row(id, names.get(id) ?? null, firstByAgent.get(id), resByAgent.get(id), replies.agents.get(id)))),
    // The "no group" row (id null) keeps the table adding up to the total.
    groups: sortRows(groupIds.map((id) => row(id, id ? (names.get(id) ?? null) : null, firstByGroup.get(id), resByGroup.get(id), replies.groups.get(id)))),
  };
}

/** R2: per agent and per group — handled, replies, first response and resolution (median, p90), reopen rate. */
export async function agentPerformance(db: Db, s: ReportScope): Promise<Performance> {
  const [cur, prev] = await Promise.all([compute(db, s, s.range, true), compute(db, s, s.previous, false)]);
  return { range: s.range, previous: s.previous, agents: cur.agents, groups: cur.groups, total: cur.total, previousTotal: prev.total };
}
