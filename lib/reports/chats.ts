import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { eachDay, type DayRange } from "@/lib/reports/range";
import { dayStart, inRange } from "@/lib/reports/sql";
import { ratio } from "@/lib/reports/stats";

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

type DayAgg = { day: string | null; chats: number; missed: number; answered: number; medianWait: number | null; medianDuration: number | null; rated: number; ratingSum: number; good: number; r1: number; r2: number; r3: number; r4: number; r5: number };

function chatScope(s: ReportScope) {
  const w: Prisma.Sql[] = [s.brandIds.length ? Prisma.sql`c."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`];
  if (s.groupId) w.push(Prisma.sql`c."groupId" = ${s.groupId}`);
  return Prisma.join(w, " AND ");
}

/**
 * The range's day (1 = its first) a chat was queued on in its brand's time zone: the day starts per
 * brand are computed here (as inRange computes its bounds), so the database does a binary search
 * over them instead of time-zone arithmetic and formatting per row.
 */
function dayOfRange(s: ReportScope, r: DayRange) {
  const days = eachDay(r);
  const arms = s.brandIds.map((id) => {
    const tz = s.timeZones.get(id) ?? "UTC";
    const starts = days.map((d) => dayStart(d, tz).toISOString().slice(0, 23).replace("T", " "));
    return Prisma.sql`WHEN ${id} THEN width_bucket(c."queuedAt", ${starts}::timestamp[])`;
  });
  return arms.length ? Prisma.sql`CASE c."brandId" ${Prisma.join(arms, " ")} END` : Prisma.sql`NULL::int`;
}

const MISSED = Prisma.sql`(c.status = 'MISSED' OR (c."assignedAt" IS NULL AND COALESCE(c."endedAt", c."resolvedAt") IS NOT NULL))`;

/**
 * The whole range, aggregated in the database: counts, ratings and the medians (percentile_cont
 * interpolates exactly as lib/reports/stats.ts percentile does). Missed: marked MISSED, or ended
 * without ever reaching an agent. Answered: assigned and not missed.
 */
async function rangeTotals(db: Db, s: ReportScope, r: DayRange): Promise<DayAgg> {
  const [row] = await db.$queryRaw<Omit<DayAgg, "day">[]>`
    WITH c AS (
      SELECT x.missed, c.rating,
        CASE WHEN c."assignedAt" IS NOT NULL AND NOT x.missed THEN extract(epoch FROM c."assignedAt" - c."queuedAt")::float8 END AS wait,
        CASE WHEN c."assignedAt" IS NOT NULL AND NOT x.missed AND x."endedAt" IS NOT NULL THEN extract(epoch FROM x."endedAt" - c."assignedAt")::float8 END AS duration
      FROM "Chat" c CROSS JOIN LATERAL (SELECT COALESCE(c."endedAt", c."resolvedAt") AS "endedAt", ${MISSED} AS missed) x
      WHERE ${chatScope(s)} AND ${inRange(s, Prisma.sql`c."queuedAt"`, r, Prisma.sql`c."brandId"`)}
    )
    SELECT count(*)::int AS chats, count(*) FILTER (WHERE missed)::int AS missed, count(wait)::int AS answered,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY wait) AS "medianWait", percentile_cont(0.5) WITHIN GROUP (ORDER BY duration) AS "medianDuration",
      count(rating)::int AS rated, COALESCE(sum(rating), 0)::int AS "ratingSum", count(*) FILTER (WHERE rating >= 4)::int AS good,
      count(*) FILTER (WHERE rating = 1)::int AS r1, count(*) FILTER (WHERE rating = 2)::int AS r2, count(*) FILTER (WHERE rating = 3)::int AS r3,
      count(*) FILTER (WHERE rating = 4)::int AS r4, count(*) FILTER (WHERE rating = 5)::int AS r5
    FROM c`;
  return { ...row!, day: null };
}

/** Chats and missed chats per brand-local day of the range (counts only: hashed, no sorting). */
async function perDayCounts(db: Db, s: ReportScope, r: DayRange): Promise<ChatDay[]> {
  const days = eachDay(r);
  const rows = await db.$queryRaw<{ day: number; chats: number; missed: number }[]>`
    SELECT ${dayOfRange(s, r)} AS day, count(*)::int AS chats, count(*) FILTER (WHERE ${MISSED})::int AS missed
    FROM "Chat" c WHERE ${chatScope(s)} AND ${inRange(s, Prisma.sql`c."queuedAt"`, r, Prisma.sql`c."brandId"`)}
    GROUP BY 1`;
  return rows.flatMap((x) => (days[x.day - 1] ? [{ day: days[x.day - 1]!, chats: x.chats, missed: x.missed }] : []));
}

function totals(rows: DayAgg[]): ChatTotals {
  const t = rows.find((x) => x.day === null);
  if (!t) return { chats: 0, answered: 0, missed: 0, medianWait: null, medianDuration: null, rated: 0, averageRating: null, csat: null };
  return {
    chats: t.chats,
    answered: t.answered,
    missed: t.missed,
    medianWait: t.medianWait,
    medianDuration: t.medianDuration,
    rated: t.rated,
    averageRating: t.rated ? t.ratingSum / t.rated : null,
    csat: ratio(t.good, t.rated),
  };
}

/** R3: chats per day, median queue wait, median duration, missed chats, ratings. */
export async function chatReport(db: Db, s: ReportScope): Promise<ChatReport> {
  const [counts, cur, prev] = await Promise.all([perDayCounts(db, s, s.range), rangeTotals(db, s, s.range), rangeTotals(db, s, s.previous)]);
  const perDay = new Map<string, ChatDay>(eachDay(s.range).map((day) => [day, { day, chats: 0, missed: 0 }]));
  for (const c of counts) perDay.set(c.day, c);
  const ratings = [1, 2, 3, 4, 5].map((rating) => ({ rating, count: cur[`r${rating}` as "r1"] }));
  return { range: s.range, previous: s.previous, totals: totals([cur]), previousTotals: totals([prev]), days: [...perDay.values()], ratings };
}
