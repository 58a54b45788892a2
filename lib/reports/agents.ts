import "server-only";
import type { Db, Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import type { DayRange } from "@/lib/reports/range";
import { inRange } from "@/lib/reports/sql";
import { fillBusinessSeconds } from "@/lib/reports/business-fill";
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

/** One group's durations: count, [median, p90] in calendar and in business seconds, reopened. */
type SetStats = { id: string | null; total: boolean; n: number; cal: number[] | null; biz: number[] | null; reopened: number };
type ReplyCounts = { replies: number; handled: number };

const SPAN = { firstResponse: 1, resolution: 2 } as const;

/**
 * Median and p90 of the spans (ReportSpan, kept by triggers: migration report_spans) of one kind
 * counted in the range, per agent with the total (ROLLUP), per group, or the total only, in the
 * database: percentile_cont interpolates exactly as lib/reports/stats.ts percentile does. Each
 * grouping reads the index that already orders its rows (agent or group first), so the only sorts
 * are the percentiles' own. Brands without business hours have no business figures (null).
 */
function spanStats(db: Db, s: ReportScope, r: DayRange, kind: number, by: "agent" | "group" | "total") {
  const key = by === "group" ? Prisma.sql`x."groupId"` : Prisma.sql`x."assigneeId"`;
  const where: Prisma.Sql[] = [
    Prisma.sql`x.kind = ${kind}::smallint`,
    s.brandIds.length ? Prisma.sql`x."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`,
    inRange(s, Prisma.sql`x.at`, r, Prisma.sql`x."brandId"`),
  ];
  if (s.groupId) where.push(Prisma.sql`x."groupId" = ${s.groupId}`);
  const query = (tx: Tx) => tx.$queryRaw<SetStats[]>`
    SELECT ${by === "total" ? Prisma.sql`NULL::text AS id, true AS total` : Prisma.sql`${key} AS id, GROUPING(${key}) = 1 AS total`}, count(*)::int AS n,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x.seconds) AS cal, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x.business) AS biz,
      count(*) FILTER (WHERE x.reopened)::int AS reopened
    FROM "ReportSpan" x WHERE ${Prisma.join(where, " AND ")}
    ${by === "agent" ? Prisma.sql`GROUP BY ROLLUP (${key})` : by === "group" ? Prisma.sql`GROUP BY ${key}` : Prisma.empty}`;
  // A 90-day range sorts a few hundred thousand values in memory rather than on disk (24 bytes a
  // value: 16 MB holds ~600k; longer ranges spill). SET LOCAL: this transaction only, which waits
  // for nothing but this one query.
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL work_mem = '16MB'`;
      return query(tx);
    },
    { timeout: 120_000 },
  );
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
  const by = withRows ? "agent" : "total";
  const [first, firstByGroup, resolved, resolvedByGroup, replies] = await Promise.all([
    // Agent-created tickets have no customer message to answer: they have no first-response span.
    spanStats(db, s, r, SPAN.firstResponse, by),
    withRows ? spanStats(db, s, r, SPAN.firstResponse, "group") : [],
    spanStats(db, s, r, SPAN.resolution, by),
    withRows ? spanStats(db, s, r, SPAN.resolution, "group") : [],
    replyCounts(db, s, r),
  ]);
  return { first, firstByGroup, resolved, resolvedByGroup, replies };
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
  const { first, firstByGroup, resolved, resolvedByGroup, replies } = await load(db, s, r, withRows);
  const totalOf = (rows: SetStats[]) => rows.find((x) => x.total);
  const byId = (rows: SetStats[]) => new Map(rows.filter((x) => !x.total).map((x) => [x.id, x]));
  const total = row(null, null, totalOf(first), totalOf(resolved), replies.total);
  if (!withRows) return { total, agents: [], groups: [] };

  const firstByAgent = byId(first);
  const resByAgent = byId(resolved);
  const firstByGrp = byId(firstByGroup);
  const resByGrp = byId(resolvedByGroup);
  const agentIds = [...new Set([...replies.agents.keys(), ...firstByAgent.keys(), ...resByAgent.keys()])].filter((x): x is string => !!x);
  const groupIds = [...new Set([...firstByGrp.keys(), ...resByGrp.keys(), ...(s.groupId ? [] : replies.groups.keys())])];
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
    groups: sortRows(groupIds.map((id) => row(id, id ? (names.get(id) ?? null) : null, firstByGrp.get(id), resByGrp.get(id), replies.groups.get(id)))),
  };
}

/** R2: per agent and per group — handled, replies, first response and resolution (median, p90), reopen rate. */
export async function agentPerformance(db: Db, s: ReportScope): Promise<Performance> {
  await fillBusinessSeconds(db, s);
  const [cur, prev] = await Promise.all([compute(db, s, s.range, true), compute(db, s, s.previous, false)]);
  return { range: s.range, previous: s.previous, agents: cur.agents, groups: cur.groups, total: cur.total, previousTotal: prev.total };
}
