import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { eachDay, type DayRange } from "@/lib/reports/range";
import { DONE, inRange, localDay, ticketScope } from "@/lib/reports/sql";

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
    WHERE ${ticketScope(s)} AND ${inRange(col, r)} ${column === "resolvedAt" ? Prisma.sql`AND ${DONE}` : Prisma.empty}
    GROUP BY 1`;
  return new Map(rows.map((x) => [x.day, x.n]));
}

/**
 * Open backlog at the end of `day`: created on or before it and not resolved by then.
 * Taken from the current state (open now, or resolved after that day), so a reopened
 * ticket counts as open from its creation until its last resolution.
 */
async function backlogAtEnd(db: Db, s: ReportScope, day: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT (
      (SELECT count(*) FROM "Ticket" t JOIN "Brand" b ON b.id = t."brandId"
        WHERE ${ticketScope(s)} AND t.status IN ('OPEN', 'PENDING') AND ${localDay(Prisma.sql`t."createdAt"`)} <= ${day}::date)
    + (SELECT count(*) FROM "Ticket" t JOIN "Brand" b ON b.id = t."brandId"
        WHERE ${ticketScope(s)} AND ${DONE} AND t."resolvedAt" >= ${new Date(Date.parse(`${day}T00:00:00Z`) - 14 * 3600_000)}
          AND ${localDay(Prisma.sql`t."resolvedAt"`)} > ${day}::date AND ${localDay(Prisma.sql`t."createdAt"`)} <= ${day}::date)
    )::int AS n`;
  return row?.n ?? 0;
}

async function series(db: Db, s: ReportScope, r: DayRange) {
  const [created, resolved, endBacklog] = await Promise.all([countsByDay(db, s, r, "createdAt"), countsByDay(db, s, r, "resolvedAt"), backlogAtEnd(db, s, r.to)]);
  const days = eachDay(r).map((day) => ({ day, created: created.get(day) ?? 0, resolved: resolved.get(day) ?? 0, backlog: 0 }));
  // Walk back from the last day: yesterday's backlog = today's − created today + resolved today.
  let backlog = endBacklog;
  for (let i = days.length - 1; i >= 0; i--) {
    days[i]!.backlog = backlog;
    backlog = backlog - days[i]!.created + days[i]!.resolved;
  }
  const totals = { created: sum(days, "created"), resolved: sum(days, "resolved"), backlog: endBacklog };
  return { days, totals };
}

const sum = (rows: DayRow[], k: "created" | "resolved") => rows.reduce((a, r) => a + r[k], 0);

const BREAKDOWN_SQL: Record<Breakdown, { key: Prisma.Sql; label: Prisma.Sql; join: Prisma.Sql }> = {
  channel: { key: Prisma.sql`t.channel::text`, label: Prisma.sql`t.channel::text`, join: Prisma.empty },
  status: { key: Prisma.sql`t.status::text`, label: Prisma.sql`t.status::text`, join: Prisma.empty },
  type: { key: Prisma.sql`t."typeId"`, label: Prisma.sql`x.name`, join: Prisma.sql`LEFT JOIN "TicketType" x ON x.id = t."typeId"` },
  topic: { key: Prisma.sql`t."topicId"`, label: Prisma.sql`x.name`, join: Prisma.sql`LEFT JOIN "Topic" x ON x.id = t."topicId"` },
  brand: { key: Prisma.sql`t."brandId"`, label: Prisma.sql`b.name`, join: Prisma.empty },
  tag: { key: Prisma.sql`x.name`, label: Prisma.sql`x.name`, join: Prisma.sql`JOIN "TicketTag" tt ON tt."ticketId" = t.id JOIN "Tag" x ON x.id = tt."tagId"` },
};

/** Tickets created in the range, counted by one dimension (a ticket with two tags counts under each). */
export async function ticketBreakdown(db: Db, s: ReportScope, by: Breakdown): Promise<BreakdownRow[]> {
  const q = BREAKDOWN_SQL[by];
  return db.$queryRaw<BreakdownRow[]>`
    SELECT ${q.key} AS key, ${q.label} AS label, count(*)::int AS count
    FROM "Ticket" t JOIN "Brand" b ON b.id = t."brandId" ${q.join}
    WHERE ${ticketScope(s)} AND ${inRange(Prisma.sql`t."createdAt"`, s.range)}
    GROUP BY 1, 2 ORDER BY count DESC, label ASC NULLS LAST`;
}

/** R1: created vs resolved per day, backlog over time, breakdowns; with the previous period's totals. */
export async function ticketAnalysis(db: Db, s: ReportScope): Promise<TicketAnalysis> {
  const [current, prev, ...bd] = await Promise.all([series(db, s, s.range), series(db, s, s.previous), ...BREAKDOWNS.map((b) => ticketBreakdown(db, s, b))]);
  return {
    range: s.range,
    previous: s.previous,
    totals: current.totals,
    previousTotals: prev.totals,
    days: current.days,
    breakdowns: Object.fromEntries(BREAKDOWNS.map((b, i) => [b, bd[i]!])) as Record<Breakdown, BreakdownRow[]>,
  };
}
