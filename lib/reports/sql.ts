import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { utcEnvelope, type DayRange } from "@/lib/reports/range";

/**
 * The brand-local calendar date of a timestamp column. Columns are UTC `timestamp(3)`;
 * `b` must be the joined Brand row, so each ticket counts on its own brand's day.
 */
export const localDay = (column: Prisma.Sql) => Prisma.sql`((${column} AT TIME ZONE 'UTC') AT TIME ZONE b.timezone)::date`;

/** `column` falls on one of the range's local days: an index-friendly UTC envelope, then the exact local date. */
export function inRange(column: Prisma.Sql, r: DayRange) {
  const env = utcEnvelope(r);
  return Prisma.sql`${column} >= ${env.start} AND ${column} < ${env.end} AND ${localDay(column)} BETWEEN ${r.from}::date AND ${r.to}::date`;
}

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
