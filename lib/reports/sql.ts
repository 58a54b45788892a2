import "server-only";
import { TZDate } from "@date-fns/tz";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { addDays, utcEnvelope, type DayRange } from "@/lib/reports/range";

/**
 * The brand-local calendar date of a timestamp column. Columns are UTC `timestamp(3)`;
 * `b` must be the joined Brand row, so each ticket counts on its own brand's day.
 */
export const localDay = (column: Prisma.Sql) => Prisma.sql`((${column} AT TIME ZONE 'UTC') AT TIME ZONE b.timezone)::date`;

/** The UTC instant a local calendar day starts in a time zone. */
export function dayStart(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, 0, timeZone).getTime());
}

const BRAND = Prisma.sql`t."brandId"`;

/** Per brand of the scope: `column` compared with an instant computed in that brand's time zone. */
function perBrand(s: ReportScope, brandColumn: Prisma.Sql, cond: (timeZone: string) => Prisma.Sql) {
  const parts = s.brandIds.map((id) => Prisma.sql`(${brandColumn} = ${id} AND ${cond(s.timeZones.get(id) ?? "UTC")})`);
  return parts.length ? Prisma.sql`(${Prisma.join(parts, " OR ")})` : Prisma.sql`false`;
}

/**
 * `column` falls on one of the range's days in its brand's time zone. The bounds are computed
 * per brand here, so the database compares plain timestamps (index-friendly, no per-row time
 * zone arithmetic); the UTC envelope lets it use the column's index first.
 */
export function inRange(s: ReportScope, column: Prisma.Sql, r: DayRange, brandColumn = BRAND) {
  const env = utcEnvelope(r);
  return Prisma.sql`${column} >= ${env.start} AND ${column} < ${env.end} AND ${perBrand(s, brandColumn, (tz) => Prisma.sql`${column} >= ${dayStart(r.from, tz)} AND ${column} < ${dayStart(addDays(r.to, 1), tz)}`)}`;
}

/** `column` is on or before `day` (brand-local). */
export const onOrBefore = (s: ReportScope, column: Prisma.Sql, day: string, brandColumn = BRAND) =>
  perBrand(s, brandColumn, (tz) => Prisma.sql`${column} < ${dayStart(addDays(day, 1), tz)}`);

/** `column` is after `day` (brand-local). */
export const after = (s: ReportScope, column: Prisma.Sql, day: string, brandColumn = BRAND) =>
  perBrand(s, brandColumn, (tz) => Prisma.sql`${column} >= ${dayStart(addDays(day, 1), tz)}`);

/** The tickets every report counts: the scope's brands (and group), active, not merged away. */
export function ticketScope(s: ReportScope, alias = Prisma.sql`t`) {
  const w: Prisma.Sql[] = [
    s.brandIds.length ? Prisma.sql`${alias}."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`,
    Prisma.sql`${alias}.state = 'ACTIVE'`,
    Prisma.sql`${alias}."mergedIntoId" IS NULL`,
  ];
  if (s.groupId) w.push(Prisma.sql`${alias}."groupId" = ${s.groupId}`);
  return Prisma.join(w, " AND ");
}

export const DONE = Prisma.sql`t.status IN ('RESOLVED', 'CLOSED')`;
