import "server-only";
import { createHash } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { addDays, utcEnvelope, type DayRange } from "@/lib/reports/range";
import { dayStart, inRange } from "@/lib/reports/sql";
import { fillBusinessSeconds } from "@/lib/reports/business-fill";
import { rollupDays, rollupScope } from "@/lib/reports/rollup";
import type { DurationStats } from "@/lib/reports/durations";
import { ratio } from "@/lib/reports/stats";
import { decodeFloat8, percentilesOfSets } from "@/lib/reports/quantiles";

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

/** One set's durations (an agent's, a group's or the total): count, [median, p90] in calendar and in business seconds, reopened. */
type SetStats = { id: string | null; total: boolean; n: number; cal: (number | null)[] | null; biz: (number | null)[] | null; reopened: number };
type ReplyCounts = { replies: number; handled: number };

const SPAN = { firstResponse: 1, resolution: 2 } as const;
const FRACTIONS = [0.5, 0.9];

/** The spans of one agent × group cell: how many, how many reopened, their calendar and business seconds. */
type Cell = { agent: string | null; group: string | null; n: number; reopened: number; cal: Float64Array; biz: Float64Array };

/** The spans (ReportSpan, kept by triggers: migration report_spans) of one kind counted in the range. */
function spanWhere(s: ReportScope, r: DayRange, kind: number) {
  const where: Prisma.Sql[] = [
    Prisma.sql`x.kind = ${kind}::smallint`,
    s.brandIds.length ? Prisma.sql`x."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`,
    inRange(s, Prisma.sql`x.at`, r, Prisma.sql`x."brandId"`),
  ];
  if (s.groupId) where.push(Prisma.sql`x."groupId" = ${s.groupId}`);
  return Prisma.join(where, " AND ");
}

const DAY_MS = 86_400_000;
const utcDate = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Per brand of the scope: the range's instants, and the whole UTC days in it whose cells may be kept
 * ([keptFrom, keptTo), empty when keptTo ≤ keptFrom): not yesterday's or today's, which still change
 * by the minute. The spans of the rest — the partial first and last UTC days of the brand's range
 * and the last two days — are read each time.
 */
function cellPlan(s: ReportScope, r: DayRange) {
  const yesterday = Math.floor(s.now.getTime() / DAY_MS) * DAY_MS - DAY_MS;
  return s.brandIds.map((brandId) => {
    const tz = s.timeZones.get(brandId) ?? "UTC";
    const start = dayStart(r.from, tz).getTime();
    const end = dayStart(addDays(r.to, 1), tz).getTime();
    const keptFrom = Math.ceil(start / DAY_MS) * DAY_MS;
    const keptTo = Math.max(keptFrom, Math.min(Math.floor(end / DAY_MS) * DAY_MS, yesterday));
    return { brandId, start, end, keptFrom, keptTo };
  });
}

/**
 * Brings the kept cells of the plan's days up to date: the days never read before, or whose spans
 * changed since (their change count, the sum of their ReportSpanVersion rows, differs from the one
 * they were read at), are read again from the spans. The count is read before the spans, so no cell
 * is kept with a count newer than its spans; one read from spans newer than its count is merely read
 * again next time.
 */
async function refreshCells(db: Db, kind: number, plan: ReturnType<typeof cellPlan>) {
  const ranges = plan.filter((p) => p.keptTo > p.keptFrom);
  if (!ranges.length) return;
  const staleDays = (q: Tx) =>
    q.$queryRaw<{ brandId: string; day: string; versions: string }[]>`
    WITH want AS (
      SELECT p.b, d::date AS day FROM (VALUES ${Prisma.join(ranges.map((p) => Prisma.sql`(${p.brandId}, ${utcDate(p.keptFrom)}::date, ${utcDate(p.keptTo - DAY_MS)}::date)`))}) p(b, f, t),
        generate_series(p.f, p.t, interval '1 day') d
    ),
    counted AS (
      SELECT w.b, w.day, COALESCE((SELECT sum(v.version) FROM "ReportSpanVersion" v WHERE v.kind = ${kind}::smallint AND v."brandId" = w.b AND v.day = w.day), 0) AS versions FROM want w
    )
    SELECT counted.b AS "brandId", to_char(counted.day, 'YYYY-MM-DD') AS day, counted.versions::text AS versions
    FROM counted LEFT JOIN "ReportSpanCellDay" c ON c.kind = ${kind}::smallint AND c."brandId" = counted.b AND c.day = counted.day
    WHERE c.versions IS DISTINCT FROM counted.versions`;
  if (!(await staleDays(db)).length) return;
  await db.$transaction(
    async (tx) => {
      // Reports reading the same days at once take turns; the days are found again under the lock,
      // so a report that waited does not read again what the one before it has just kept.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('report-span-cells'), ${kind})`;
      const stale = await staleDays(tx);
      if (!stale.length) return;
      const brands = stale.map((x) => x.brandId);
      const days = stale.map((x) => x.day);
      await tx.$executeRaw`DELETE FROM "ReportSpanCell" c USING unnest(${brands}::text[], ${days}::date[]) d(b, day) WHERE c.kind = ${kind}::smallint AND c."brandId" = d.b AND c.day = d.day`;
      // A day at a time (LATERAL): each is one index range of its brand.
      await tx.$executeRaw`
        INSERT INTO "ReportSpanCell" (kind, "brandId", day, "groupId", "assigneeId", n, nb, reopened, cal, biz)
        SELECT ${kind}::smallint, d.b, d.day, c.g, c.a, c.n, c.nb, c.reopened, c.cal, c.biz
        FROM unnest(${brands}::text[], ${days}::date[]) d(b, day)
          CROSS JOIN LATERAL (
            SELECT COALESCE(x."groupId", '') AS g, COALESCE(x."assigneeId", '') AS a, count(*) AS n, count(x.business) AS nb, count(*) FILTER (WHERE x.reopened) AS reopened,
              string_agg(float8send(x.seconds), ''::bytea) AS cal, string_agg(float8send(x.business), ''::bytea) AS biz
            FROM "ReportSpan" x WHERE x.kind = ${kind}::smallint AND x."brandId" = d.b AND x.at >= d.day AND x.at < d.day + 1
            GROUP BY 1, 2
          ) c`;
      await tx.$executeRaw`
        INSERT INTO "ReportSpanCellDay" (kind, "brandId", day, versions)
        SELECT ${kind}::smallint, d.b, d.day, d.v FROM unnest(${brands}::text[], ${days}::date[], ${stale.map((x) => x.versions)}::bigint[]) d(b, day, v)
        ON CONFLICT (kind, "brandId", day) DO UPDATE SET versions = EXCLUDED.versions, "computedAt" = now()`;
    },
    { timeout: 120_000 },
  );
}

/**
 * The spans per agent × group cell, with their durations: the medians and p90s per agent, per group
 * and in total are computed from these same values here (lib/reports/quantiles.ts, exactly as
 * percentile_cont would) rather than by sorting every value once per grouping in the database, which
 * also needs a second pass in group order. The whole UTC days before yesterday come from the kept
 * cells (ReportSpanCell, brought up to date first), the rest from the spans (index-only scans of
 * ReportSpan_brand_at_idx, one per brand and part); the durations travel as their exact float8 bytes.
 * Business seconds are absent (null) for brands without business hours: only the others count
 * towards business figures.
 */
async function spanCells(db: Db, s: ReportScope, r: DayRange, kind: number): Promise<Cell[]> {
  const plan = cellPlan(s, r);
  await refreshCells(db, kind, plan);
  const group = (column: Prisma.Sql) => (s.groupId ? Prisma.sql`AND ${column} = ${s.groupId}` : Prisma.empty);
  const parts: Prisma.Sql[] = [];
  const kept = plan.filter((p) => p.keptTo > p.keptFrom);
  if (kept.length) {
    const days = kept.map((p) => Prisma.sql`(c."brandId" = ${p.brandId} AND c.day >= ${utcDate(p.keptFrom)}::date AND c.day < ${utcDate(p.keptTo)}::date)`);
    parts.push(Prisma.sql`
      SELECT NULLIF(c."assigneeId", '') AS agent, NULLIF(c."groupId", '') AS "group", c.n, c.nb, c.reopened, c.cal, c.biz
      FROM "ReportSpanCell" c WHERE c.kind = ${kind}::smallint AND (${Prisma.join(days, " OR ")}) ${group(Prisma.sql`c."groupId"`)}`);
  }
  for (const p of plan) {
    const read = p.keptTo > p.keptFrom ? [[p.start, p.keptFrom], [p.keptTo, p.end]] : [[p.start, p.end]];
    for (const [from, to] of read) {
      if (to! <= from!) continue;
      parts.push(Prisma.sql`
        SELECT x."assigneeId" AS agent, x."groupId" AS "group", 1 AS n, (x.business IS NOT NULL)::int AS nb, x.reopened::int AS reopened, float8send(x.seconds) AS cal, float8send(x.business) AS biz
        FROM "ReportSpan" x WHERE x.kind = ${kind}::smallint AND x."brandId" = ${p.brandId} AND x.at >= ${new Date(from!)} AND x.at < ${new Date(to!)} ${group(Prisma.sql`x."groupId"`)}`);
    }
  }
  if (!parts.length) return [];
  const rows = await db.$queryRaw<{ agent: string | null; group: string | null; n: number; nb: number; reopened: number; cal: string | null; biz: string | null }[]>`
    SELECT u.agent, u."group", sum(u.n)::int AS n, sum(u.nb)::int AS nb, sum(u.reopened)::int AS reopened,
      encode(string_agg(u.cal, ''::bytea), 'base64') AS cal, encode(string_agg(u.biz, ''::bytea), 'base64') AS biz
    FROM (${Prisma.join(parts, " UNION ALL ")}) u
    GROUP BY u.agent, u."group"`;
  return rows.map((c) => ({ agent: c.agent, group: c.group, n: c.n, reopened: c.reopened, cal: decodeFloat8(c.cal, c.n), biz: decodeFloat8(c.biz, c.nb) }));
}

/**
 * The total alone (the previous period's): percentile_cont in the database, which for one set costs
 * less than sending the values. A 90-day range sorts a few hundred thousand values in memory rather
 * than on disk (24 bytes a value: 16 MB holds ~600k; longer ranges spill). SET LOCAL: this
 * transaction only, which waits for nothing but this one query.
 */
function computeTotal(db: Db, s: ReportScope, r: DayRange, kind: number) {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL work_mem = '16MB'`;
      const [total] = await tx.$queryRaw<{ n: number; reopened: number; cal: number[] | null; biz: number[] | null }[]>`
        SELECT count(*)::int AS n, count(*) FILTER (WHERE x.reopened)::int AS reopened,
          percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x.seconds) AS cal, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x.business) AS biz
        FROM "ReportSpan" x WHERE ${spanWhere(s, r, kind)}`;
      return total!;
    },
    { timeout: 120_000 },
  );
}

/**
 * The total of one kind for a period, from ReportSpanTotal while the period's spans are unchanged
 * (the sum of their days' ReportSpanVersion counts, kept by triggers: migration report_span_totals),
 * else computed and kept there. A period in the past rarely changes — the previous period's figures
 * are read this way, at the cost of a sum over its days' counts. The counts are read before the
 * spans, so no total is kept with a count newer than its spans; one computed from spans newer than
 * its count is merely computed again. The key holds every input: the kind, each brand's instants of
 * the period (in its time zone), the group filter, and the version of this computation (v).
 */
async function spanTotal(db: Db, s: ReportScope, r: DayRange, kind: number): Promise<SetStats> {
  const env = utcEnvelope(r);
  const bounds = s.brandIds.map((id) => {
    const tz = s.timeZones.get(id) ?? "UTC";
    return [id, dayStart(r.from, tz).toISOString(), dayStart(addDays(r.to, 1), tz).toISOString()];
  });
  const key = createHash("sha256").update(JSON.stringify({ v: 1, kind, bounds, group: s.groupId })).digest("hex");
  const days = Prisma.sql`v.day BETWEEN ${env.start.toISOString().slice(0, 10)}::date AND ${new Date(env.end.getTime() - 1).toISOString().slice(0, 10)}::date`;
  const [seen] = await db.$queryRaw<{ versions: string; cached: string | null; n: number; reopened: number; cal: number[] | null; biz: number[] | null }[]>`
    SELECT (SELECT COALESCE(sum(v.version), 0)::text FROM "ReportSpanVersion" v
            WHERE v.kind = ${kind}::smallint AND ${s.brandIds.length ? Prisma.sql`v."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`}
              AND ${days} ${s.groupId ? Prisma.sql`AND v."groupId" = ${s.groupId}` : Prisma.empty}) AS versions,
      t.versions::text AS cached, t.n, t.reopened, t.cal, t.biz
    FROM (SELECT 1) one LEFT JOIN "ReportSpanTotal" t ON t.key = ${key}`;
  const total = seen!.cached === seen!.versions ? seen! : await computeTotal(db, s, r, kind);
  if (total !== seen) {
    await db.$executeRaw`
      INSERT INTO "ReportSpanTotal" (key, versions, n, reopened, cal, biz) VALUES (${key}, ${seen!.versions}::bigint, ${total.n}, ${total.reopened}, ${total.cal}::float8[], ${total.biz}::float8[])
      ON CONFLICT (key) DO UPDATE SET versions = EXCLUDED.versions, n = EXCLUDED.n, reopened = EXCLUDED.reopened, cal = EXCLUDED.cal, biz = EXCLUDED.biz, "computedAt" = now()`;
    // Periods move on a day at a time: totals no report has computed for a week are dropped.
    await db.$executeRaw`DELETE FROM "ReportSpanTotal" WHERE "computedAt" < now() - interval '7 days'`;
  }
  return { id: null, total: true, n: total.n, reopened: total.reopened, cal: total.cal, biz: total.biz };
}

/** Lets other work on the event loop go on (the selection takes a few milliseconds a column on a large range). */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The cells' sets — per agent, per group (no group is a set too), and the total — with their
 * medians and p90s, each column's for all sets at once. Unassigned spans count in the total and
 * their group, not as an agent. In the order the database would group them: by id, none last.
 */
async function sets(cells: Cell[]) {
  const byId = (key: "agent" | "group") => {
    const m = new Map<string | null, number[]>();
    cells.forEach((c, i) => {
      if (key === "agent" && c.agent === null) return;
      const list = m.get(c[key]);
      if (list) list.push(i);
      else m.set(c[key], [i]);
    });
    return [...m].sort(([a], [b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
  };
  const agents = byId("agent");
  const groups = byId("group");
  const members = [...agents.map(([, c]) => c), ...groups.map(([, c]) => c), cells.map((_, i) => i)];
  // The other kind's cells may be arriving meanwhile: each column is a few milliseconds of work.
  await yieldToLoop();
  const cal = percentilesOfSets(cells.map((c) => c.cal), members, FRACTIONS);
  await yieldToLoop();
  const biz = percentilesOfSets(cells.map((c) => c.biz), members, FRACTIONS);
  const stats = members.map((list, k): Omit<SetStats, "id" | "total"> => {
    let n = 0;
    let reopened = 0;
    for (const i of list) {
      n += cells[i]!.n;
      reopened += cells[i]!.reopened;
    }
    return { n, reopened, cal: cal[k]!, biz: biz[k]! };
  });
  return {
    byAgent: agents.map(([id], k) => ({ id, total: false, ...stats[k]! })),
    byGroup: groups.map(([id], k) => ({ id, total: false, ...stats[agents.length + k]! })),
    total: { id: null, total: true, ...stats[stats.length - 1]! },
  };
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

/** The current period: per agent, per group and in total. */
async function currentRows(db: Db, s: ReportScope) {
  // Each kind's sets are computed as soon as its cells are in, while the other's are still being read.
  const [first, resolved, replies] = await Promise.all([
    spanCells(db, s, s.range, SPAN.firstResponse).then(sets),
    spanCells(db, s, s.range, SPAN.resolution).then(sets),
    replyCounts(db, s, s.range),
  ]);
  const total = row(null, null, first.total, resolved.total, replies.total);
  const byId = (list: SetStats[]) => new Map(list.map((x) => [x.id, x]));
  const firstByAgent = byId(first.byAgent);
  const resByAgent = byId(resolved.byAgent);
  const firstByGrp = byId(first.byGroup);
  const resByGrp = byId(resolved.byGroup);
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

/** The previous period: the total only. */
async function previousTotal(db: Db, s: ReportScope) {
  // Agent-created tickets have no customer message to answer: they have no first-response span.
  const [first, resolved, replies] = await Promise.all([spanTotal(db, s, s.previous, SPAN.firstResponse), spanTotal(db, s, s.previous, SPAN.resolution), replyCounts(db, s, s.previous)]);
  return row(null, null, first, resolved, replies.total);
}

/** R2: per agent and per group — handled, replies, first response and resolution (median, p90), reopen rate. */
export async function agentPerformance(db: Db, s: ReportScope): Promise<Performance> {
  await fillBusinessSeconds(db, s);
  const [cur, previousTotalRow] = await Promise.all([currentRows(db, s), previousTotal(db, s)]);
  return { range: s.range, previous: s.previous, agents: cur.agents, groups: cur.groups, total: cur.total, previousTotal: previousTotalRow };
}
