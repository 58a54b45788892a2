import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { eachDay, type DayRange } from "@/lib/reports/range";
import { after, DONE, inRange, localDay, onOrBefore, ticketScope } from "@/lib/reports/sql";

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

type DayCount = { day: string; n: number };

async function countsByDay(db: Db, s: ReportScope, r: DayRange, column: "createdAt" | "resolvedAt"): Promise<Map<string, number>> {
  const col = Prisma.raw(`t."${column}"`);
  const rows = await db.$queryRaw<DayCount[]>`
    SELECT to_char(${localDay(col)}, 'YYYY-MM-DD') AS day, count(*)::int AS n
    FROM "Ticket" t JOIN "Brand" b ON b.id = t."brandId"
    WHERE ${ticketScope(s)} AND ${inRange(s, col, r)} ${column === "resolvedAt" ? Prisma.sql`AND ${DONE}` : Prisma.empty}
    GROUP BY 1`;
  return new Map(rows.map((x) => [x.day, x.n]));
}

/**
 * Open backlog at the end of `day`: created on or before it and not resolved by then.
 * Taken from the current state (open now, or resolved after that day), so a reopened
 * ticket counts as open from its creation until its last resolution.
 */
async function backlogAtEnd(db: Db, s: ReportScope, day: string): Promise<number> {
  const created = onOrBefore(s, Prisma.sql`t."createdAt"`, day);
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT (
      (SELECT count(*) FROM "Ticket" t WHERE ${ticketScope(s)} AND t.status IN ('OPEN', 'PENDING') AND ${created})
    + (SELECT count(*) FROM "Ticket" t
        WHERE ${ticketScope(s)} AND ${DONE} AND t."resolvedAt" >= ${new Date(Date.parse(`${day}T00:00:00Z`) - 14 * 3600_000)}
          AND ${after(s, Prisma.sql`t."resolvedAt"`, day)} AND ${created})
    )::int AS n`;
  return row?.n ?? 0;
}

const sum = (rows: DayRow[], k: "created" | "resolved") => rows.reduce((a, r) => a + r[k], 0);

type Grouped = { level: number; day: string | null; key: string | null; label: string | null; count: number };

/**
 * Tickets created in the range, in one scan: per day and by channel, status, type, topic and
 * brand (GROUPING SETS), so a dashboard reads its tickets once, not six times.
 */
async function createdGrouped(db: Db, s: ReportScope) {
  const rows = await db.$queryRaw<Grouped[]>`
    SELECT GROUPING(d.day, t.channel, t.status, t."typeId", t."topicId", t."brandId")::int AS level,
      to_char(d.day, 'YYYY-MM-DD') AS day,
      COALESCE(t.channel::text, t.status::text, t."typeId", t."topicId", t."brandId") AS key,
      CASE GROUPING(d.day, t.channel, t.status, t."typeId", t."topicId", t."brandId") WHEN 59 THEN max(x.name) WHEN 61 THEN max(y.name) WHEN 62 THEN max(b.name) END AS label,
      count(*)::int AS count
    FROM "Ticket" t JOIN "Brand" b ON b.id = t."brandId"
      LEFT JOIN "TicketType" x ON x.id = t."typeId" LEFT JOIN "Topic" y ON y.id = t."topicId"
      CROSS JOIN LATERAL (SELECT ${localDay(Prisma.sql`t."createdAt"`)} AS day) d
    WHERE ${ticketScope(s)} AND ${inRange(s, Prisma.sql`t."createdAt"`, s.range)}
    GROUP BY GROUPING SETS ((d.day), (t.channel), (t.status), (t."typeId"), (t."topicId"), (t."brandId"))`;
  // GROUPING bitmask over (day, channel, status, type, topic, brand): the one column kept is the 0 bit.
  const only = (i: number) => 0b111111 ^ (1 << (5 - i));
  const pick = (i: number, withLabel: boolean): BreakdownRow[] =>
    rows
      .filter((r) => r.level === only(i))
      .map((r) => ({ key: r.key, label: withLabel ? r.label : r.key, count: r.count }))
      .sort((a, b) => b.count - a.count || (a.label ?? "\uffff").localeCompare(b.label ?? "\uffff"));
  return {
    perDay: new Map(rows.filter((r) => r.level === only(0)).map((r) => [r.day!, r.count])),
    channel: pick(1, false),
    status: pick(2, false),
    type: pick(3, true),
    topic: pick(4, true),
    brand: pick(5, true),
  };
}

async function tagBreakdown(db: Db, s: ReportScope): Promise<BreakdownRow[]> {
  return db.$queryRaw<BreakdownRow[]>`
    SELECT x.name AS key, x.name AS label, count(*)::int AS count
    FROM "Ticket" t JOIN "TicketTag" tt ON tt."ticketId" = t.id JOIN "Tag" x ON x.id = tt."tagId"
    WHERE ${ticketScope(s)} AND ${inRange(s, Prisma.sql`t."createdAt"`, s.range)}
    GROUP BY 1, 2 ORDER BY count DESC, label ASC`;
}

async function createdTotal(db: Db, s: ReportScope, r: DayRange): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Ticket" t WHERE ${ticketScope(s)} AND ${inRange(s, Prisma.sql`t."createdAt"`, r)}`;
  return row?.n ?? 0;
}

/** R1: created vs resolved per day, backlog over time, breakdowns; with the previous period's totals. */
export async function ticketAnalysis(db: Db, s: ReportScope): Promise<TicketAnalysis> {
  const [grouped, tag, resolved, endBacklog, prevCreated, prevResolved, prevBacklog] = await Promise.all([
    createdGrouped(db, s),
    tagBreakdown(db, s),
    countsByDay(db, s, s.range, "resolvedAt"),
    backlogAtEnd(db, s, s.range.to),
    createdTotal(db, s, s.previous),
    countsByDay(db, s, s.previous, "resolvedAt"),
    backlogAtEnd(db, s, s.previous.to),
  ]);
  const days = eachDay(s.range).map((day) => ({ day, created: grouped.perDay.get(day) ?? 0, resolved: resolved.get(day) ?? 0, backlog: 0 }));
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
    previousTotals: { created: prevCreated, resolved: [...prevResolved.values()].reduce((a, b) => a + b, 0), backlog: prevBacklog },
    days,
    breakdowns: { channel: grouped.channel, status: grouped.status, type: grouped.type, topic: grouped.topic, brand: grouped.brand, tag },
  };
}
