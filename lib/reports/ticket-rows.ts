import "server-only";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReportScope } from "@/lib/reports/scope";
import { inRange, localDay, ticketScope } from "@/lib/reports/sql";
import type { Cell, Column } from "@/lib/reports/tables";

/** One row per ticket created in the range, for the streamed export of large ranges. */
export const TICKET_ROW_COLUMNS: Column[] = [
  { id: "number", kind: "count" },
  { id: "day", kind: "day" },
  { id: "createdAt", kind: "time" },
  { id: "brand", kind: "text" },
  { id: "channel", kind: "text" },
  { id: "status", kind: "text" },
  { id: "priority", kind: "text" },
  { id: "assignee", kind: "text" },
  { id: "group", kind: "text" },
  { id: "firstResponseSeconds", kind: "seconds" },
  { id: "resolutionSeconds", kind: "seconds" },
];

type Row = { id: number; createdAt: string; number: number; day: string; brand: string; channel: string; status: string; priority: string; assignee: string | null; group: string | null; fr: number | null; res: number | null };

const BATCH = 5_000;

/**
 * Ticket rows in creation order, fetched in keyset batches (never OFFSET), so a year of
 * tickets streams in constant memory. Every column comes from Ticket_reports_idx (an index-only
 * scan); createdAt arrives as its ISO text (what the CSV writes), which is also the keyset.
 * The next batch is fetched while the current one is written. Durations follow the report definitions: first
 * response only for customer-started tickets, resolution only for resolved/closed ones.
 */
export async function* ticketRows(db: Db, s: ReportScope): AsyncGenerator<Cell[][]> {
  const batch = (after: { createdAt: string; id: number } | null) => {
    const keyset: Prisma.Sql = after ? Prisma.sql`AND (t."createdAt", t.id) > (${after.createdAt}::timestamp, ${after.id})` : Prisma.empty;
    return db.$queryRaw<Row[]>`
      SELECT t.id, to_char(t."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", t.number, to_char(${localDay(Prisma.sql`t."createdAt"`)}, 'YYYY-MM-DD') AS day, b.name AS brand,
        t.channel::text AS channel, t.status::text AS status, t.priority::text AS priority, u.name AS assignee, g.name AS "group",
        CASE WHEN t.channel <> 'AGENT' AND t."firstResponseAt" IS NOT NULL THEN round(extract(epoch FROM t."firstResponseAt" - t."createdAt"))::int END AS fr,
        CASE WHEN t.status IN ('RESOLVED', 'CLOSED') AND t."resolvedAt" IS NOT NULL THEN round(extract(epoch FROM t."resolvedAt" - t."createdAt"))::int END AS res
      FROM "Ticket" t JOIN "Brand" b ON b.id = t."brandId" LEFT JOIN "User" u ON u.id = t."assigneeId" LEFT JOIN "Group" g ON g.id = t."groupId"
      WHERE ${ticketScope(s)} AND ${inRange(s, Prisma.sql`t."createdAt"`, s.range)} ${keyset}
      ORDER BY t."createdAt", t.id LIMIT ${BATCH}`;
  };
  let next: Promise<Row[]> = batch(null);
  for (;;) {
    const rows = await next;
    if (!rows.length) return;
    const more = rows.length === BATCH;
    if (more) {
      // The next batch is read while this one is written out.
      const last = rows[rows.length - 1]!;
      next = batch({ createdAt: last.createdAt, id: last.id });
      next.catch(() => {}); // a download cancelled meanwhile leaves it unawaited; awaited, it still throws
    }
    yield rows.map((r) => [r.number, r.day, r.createdAt, r.brand, r.channel, r.status, r.priority, r.assignee, r.group, r.fr, r.res]);
    if (!more) return;
  }
}
