import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import type { DayRange } from "@/lib/reports/range";

/**
 * The ReportDayCount rollup (migration report_rollups): counts per brand-local day, metric and
 * key, kept by database triggers in the same transaction as every ticket and tag write. Its days
 * are the brand's calendar days, so a range of days selects exactly what `inRange` selects on the
 * tickets. "No group" is stored as "".
 */
export function rollupScope(s: ReportScope, alias = Prisma.sql`r`) {
  const w: Prisma.Sql[] = [s.brandIds.length ? Prisma.sql`${alias}."brandId" IN (${Prisma.join(s.brandIds)})` : Prisma.sql`false`];
  if (s.groupId) w.push(Prisma.sql`${alias}."groupId" = ${s.groupId}`);
  return Prisma.join(w, " AND ");
}

export const rollupDays = (r: DayRange, alias = Prisma.sql`r`) => Prisma.sql`${alias}.day BETWEEN ${r.from}::date AND ${r.to}::date`;
