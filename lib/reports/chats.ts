import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { eachDay, type DayRange } from "@/lib/reports/range";
import { inRange, localDay } from "@/lib/reports/sql";
import { median, ratio } from "@/lib/reports/stats";

export type ChatDay = { day: string; chats: number; missed: number };
export type ChatTotals = {
  chats: number;
  answered: number;
  missed: number;
  medianWait: number | null;
  medianDuration: number | null;
  rated: number;
  averageRating: number | null;
  /** Share of rated chats rated 4 or 5. */
  csat: number | null;
};
export type ChatReport = { range: DayRange; previous: DayRange; totals: ChatTotals; previousTotals: ChatTotals; days: ChatDay[]; ratings: { rating: number; count: number }[] };

type ChatRow = { day: string; queuedAt: Date; assignedAt: Date | null; endedAt: Date | null; missed: boolean; rating: number | null };

function chatScope(s: ReportScope) {
  const w: Prisma.Sql[] = [s.brandIds.length ? Prisma.sql`c."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`];
  if (s.groupId) w.push(Prisma.sql`c."groupId" = ${s.groupId}`);
  return Prisma.join(w, " AND ");
}

async function load(db: Db, s: ReportScope, r: DayRange): Promise<ChatRow[]> {
  // Missed: marked MISSED, or ended without ever reaching an agent.
  return db.$queryRaw<ChatRow[]>`
    SELECT to_char(${localDay(Prisma.sql`c."queuedAt"`)}, 'YYYY-MM-DD') AS day, c."queuedAt", c."assignedAt",
      COALESCE(c."endedAt", c."resolvedAt") AS "endedAt",
      (c.status = 'MISSED' OR (c."assignedAt" IS NULL AND COALESCE(c."endedAt", c."resolvedAt") IS NOT NULL)) AS missed,
      c.rating
    FROM "Chat" c JOIN "Brand" b ON b.id = c."brandId"
    WHERE ${chatScope(s)} AND ${inRange(s, Prisma.sql`c."queuedAt"`, r, Prisma.sql`c."brandId"`)}`;
}

function totals(rows: ChatRow[]): ChatTotals {
  const answered = rows.filter((c) => c.assignedAt && !c.missed);
  const waits = answered.map((c) => (c.assignedAt!.getTime() - c.queuedAt.getTime()) / 1000);
  const durations = answered.filter((c) => c.endedAt).map((c) => (c.endedAt!.getTime() - c.assignedAt!.getTime()) / 1000);
  const rated = rows.filter((c) => c.rating !== null).map((c) => c.rating!);
  return {
    chats: rows.length,
    answered: answered.length,
    missed: rows.filter((c) => c.missed).length,
    medianWait: median(waits),
    medianDuration: median(durations),
    rated: rated.length,
    averageRating: rated.length ? rated.reduce((a, b) => a + b, 0) / rated.length : null,
    csat: ratio(rated.filter((x) => x >= 4).length, rated.length),
  };
}

/** R3: chats per day, median queue wait, median duration, missed chats, ratings. */
export async function chatReport(db: Db, s: ReportScope): Promise<ChatReport> {
  const [cur, prev] = await Promise.all([load(db, s, s.range), load(db, s, s.previous)]);
  const perDay = new Map<string, ChatDay>(eachDay(s.range).map((day) => [day, { day, chats: 0, missed: 0 }]));
  for (const c of cur) {
    const d = perDay.get(c.day);
    if (!d) continue;
    d.chats++;
    if (c.missed) d.missed++;
  }
  const ratings = [1, 2, 3, 4, 5].map((rating) => ({ rating, count: cur.filter((c) => c.rating === rating).length }));
  return { range: s.range, previous: s.previous, totals: totals(cur), previousTotals: totals(prev), days: [...perDay.values()], ratings };
}
