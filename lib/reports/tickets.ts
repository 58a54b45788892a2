import "server-only";
import type { Db } from "@/lib/db";
import type { ReportScope } from "@/lib/reports/scope";
import { eachDay, type DayRange } from "@/lib/reports/range";
import { rollupDays, rollupScope } from "@/lib/reports/rollup";

export const BREAKDOWNS = ["channel", "status", "type", "topic", "brand", "tag"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export type DayRow = { day: string; created: number; resolved: number; backlog: number };
export type BreakdownRow = { key: string | null; label: string | null; count: number };
export type TicketTotals = { created: number; resolved: number; backlog: number };
export type TicketAnalysis = {
  range: DayRange;
  previous: DayRange;
  totals: TicketTotals;
  previousTotals: TicketTotals;
  days: DayRow[];
  breakdowns: Record<Breakdown, BreakdownRow[]>;
};

type Keyed = { metric: string; key: string; label: string | null; count: number };
type Daily = { metric: string; day: string; n: number };

const SORT = (a: BreakdownRow, b: BreakdownRow) => b.count - a.count || (a.label ?? "\uffff").localeCompare(b.label ?? "\uffff");

/**
 * Tickets created in the range per day and by channel, status, type, topic, brand and tag, and
 * resolved per day, from the day rollup (lib/reports/rollup.ts): a few hundred rows for any range.
 */
async function rangeCounts(db: Db, s: ReportScope) {
  const [daily, keyed] = await Promise.all([
    db.$queryRaw<Daily[]>`
      SELECT r.metric, to_char(r.day, 'YYYY-MM-DD') AS day, sum(r.n)::int AS n
      FROM "ReportDayCount" r
      WHERE ${rollupScope(s)} AND r.metric IN ('created', 'resolved') AND ${rollupDays(s.range)}
      GROUP BY 1, 2 HAVING sum(r.n) <> 0`,
    db.$queryRaw<Keyed[]>`
      SELECT r.metric, CASE WHEN r.metric = 'tag' THEN max(x.name) ELSE r.k END AS key,
        CASE r.metric WHEN 'created' THEN max(b.name) WHEN 'type' THEN max(ty.name) WHEN 'topic' THEN max(tp.name) WHEN 'tag' THEN max(x.name) ELSE r.k END AS label,
        sum(r.n)::int AS count
      FROM (SELECT r.metric, CASE WHEN r.metric = 'created' THEN r."brandId" ELSE r.key END AS k, r.n FROM "ReportDayCount" r
            WHERE ${rollupScope(s)} AND r.metric IN ('created', 'channel', 'status', 'type', 'topic', 'tag') AND ${rollupDays(s.range)}) r
        LEFT JOIN "Brand" b ON r.metric = 'created' AND b.id = r.k
        LEFT JOIN "TicketType" ty ON r.metric = 'type' AND ty.id = r.k LEFT JOIN "Topic" tp ON r.metric = 'topic' AND tp.id = r.k
        LEFT JOIN "Tag" x ON r.metric = 'tag' AND x.id = r.k
      GROUP BY r.metric, r.k HAVING sum(r.n) > 0
      ORDER BY count DESC, label ASC`,
  ]);
  const perDay = (metric: string) => new Map(daily.filter((r) => r.metric === metric).map((r) => [r.day, r.n]));
  const pick = (metric: string, nullable: boolean): BreakdownRow[] =>
    keyed
      .filter((r) => r.metric === metric)
      .map((r) => ({ key: nullable && r.key === "" ? null : r.key, label: nullable && r.key === "" ? null : r.label, count: r.count }))
      .sort(SORT);
  return {
    created: perDay("created"),
    resolved: perDay("resolved"),
    channel: pick("channel", false),
    status: pick("status", false),
    type: pick("type", true),
    topic: pick("topic", true),
    brand: pick("created", false),
    // Tags as the tag query ordered them: by count, then by name in the database's collation.
    tag: keyed.filter((r) => r.metric === "tag").map((r) => ({ key: r.key, label: r.label, count: r.count })),
  };
}

/** Created and resolved totals of a period. */
async function periodTotals(db: Db, s: ReportScope, r: DayRange): Promise<{ created: number; resolved: number }> {
  const rows = await db.$queryRaw<{ metric: string; n: number }[]>`
    SELECT r.metric, sum(r.n)::int AS n FROM "ReportDayCount" r
    WHERE ${rollupScope(s)} AND r.metric IN ('created', 'resolved') AND ${rollupDays(r)} GROUP BY 1`;
  const get = (m: string) => rows.find((x) => x.metric === m)?.n ?? 0;
  return { created: get("created"), resolved: get("resolved") };
}

/**
 * Open backlog at the end of `day`: created on or before it and not resolved by then — open or
 * pending now, or resolved on a later day (the rollup keeps each resolved ticket's created and
 * resolved days), so a reopened ticket counts as open from its creation until its last resolution.
 */
async function backlogAtEnd(db: Db, s: ReportScope, day: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT COALESCE(sum(r.n), 0)::int AS n FROM "ReportDayCount" r
    WHERE ${rollupScope(s)} AND r.day <= ${day}::date AND (r.metric = 'open' OR (r.metric = 'doneAfter' AND r.key > ${day}))`;
  return row?.n ?? 0;
}

const sum = (rows: DayRow[], k: "created" | "resolved") => rows.reduce((a, r) => a + r[k], 0);

/** R1: created vs resolved per day, backlog over time, breakdowns; with the previous period's totals. */
export async function ticketAnalysis(db: Db, s: ReportScope): Promise<TicketAnalysis> {
  const [counts, endBacklog, prev, prevBacklog] = await Promise.all([rangeCounts(db, s), backlogAtEnd(db, s, s.range.to), periodTotals(db, s, s.previous), backlogAtEnd(db, s, s.previous.to)]);
  const days = eachDay(s.range).map((day) => ({ day, created: counts.created.get(day) ?? 0, resolved: counts.resolved.get(day) ?? 0, backlog: 0 }));
  // Walk back from the last day: yesterday's backlog = today's − created today + resolved today.
  let backlog = endBacklog;
  for (let i = days.length - 1; i >= 0; i--) {
    days[i]!.backlog = backlog;
    backlog = backlog - days[i]!.created + days[i]!.resolved;
  }
  return {
    range: s.range,
    previous: s.previous,
    totals: { created: sum(days, "created"), resolved: sum(days, "resolved"), backlog: endBacklog },
    previousTotals: { created: prev.created, resolved: prev.resolved, backlog: prevBacklog },
    days,
    breakdowns: { channel: counts.channel, status: counts.status, type: counts.type, topic: counts.topic, brand: counts.brand, tag: counts.tag },
  };
}
