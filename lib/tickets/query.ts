import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TicketFilters } from "@/lib/tickets/filters";
import { toTsQuery } from "@/lib/tickets/search";

export type Priority = "LOWEST" | "LOW" | "MEDIUM" | "HIGH" | "HIGHEST";
export type Cursor = { updatedAt?: Date; createdAt?: Date; priority?: Priority; id: number };

/**
 * The WHERE clause for an inbox filter, as SQL. Always scoped to the caller's brands,
 * never listing tickets merged into others.
 */
export function filterSql(f: TicketFilters, ctx: { userId: string; brandIds: string[] }) {
  const w: Prisma.Sql[] = [];
  const brands = f.brandId ? ctx.brandIds.filter((b) => b === f.brandId) : ctx.brandIds;
  w.push(brands.length ? Prisma.sql`t."brandId" IN (${Prisma.join(brands)})` : Prisma.sql`false`);
  w.push(Prisma.sql`t."mergedIntoId" IS NULL`);
  if (f.folder === "spam") w.push(Prisma.sql`t.state = 'SPAM'`);
  else if (f.folder === "trash") w.push(Prisma.sql`t.state = 'TRASH'`);
  else w.push(Prisma.sql`t.state = 'ACTIVE'`);
  if (f.folder === "chats") w.push(Prisma.sql`t.channel = 'CHAT'`);
  if (f.folder === "tickets") w.push(Prisma.sql`t.channel <> 'CHAT'`);
  // Compare as the enum type (not ::text) so the indexes on these columns apply. One value is
  // written as an equality: only then does the planner know the column is constant and read an
  // index such as (state, priority, updatedAt, id) in the page's order instead of walking the
  // updatedAt index and filtering (slow for a rare value once many other tickets were updated).
  const oneOf = (col: Prisma.Sql, values: string[], type: string) =>
    values.length === 1 ? Prisma.sql`${col} = CAST(${values[0]} AS ${Prisma.raw(`"${type}"`)})` : Prisma.sql`${col} = ANY(CAST(${values} AS ${Prisma.raw(`"${type}"[]`)}))`;
  if (f.channel?.length) w.push(oneOf(Prisma.sql`t.channel`, f.channel, "Channel"));
  if (f.status?.length) w.push(oneOf(Prisma.sql`t.status`, f.status, "TicketStatus"));
  if (f.priority?.length) w.push(oneOf(Prisma.sql`t.priority`, f.priority, "Priority"));
  if (f.assignee === "me") w.push(Prisma.sql`t."assigneeId" = ${ctx.userId}`);
  else if (f.assignee === "unassigned") w.push(Prisma.sql`t."assigneeId" IS NULL`);
  else if (f.assignee) w.push(Prisma.sql`t."assigneeId" = ${f.assignee}`);
  if (f.groupId) w.push(Prisma.sql`t."groupId" = ${f.groupId}`);
  if (f.typeId) w.push(Prisma.sql`t."typeId" = ${f.typeId}`);
  if (f.topicId) w.push(Prisma.sql`t."topicId" = ${f.topicId}`);
  if (f.tags?.length) {
    w.push(Prisma.sql`EXISTS (SELECT 1 FROM "TicketTag" tt JOIN "Tag" g ON g.id = tt."tagId" WHERE tt."ticketId" = t.id AND g.name IN (${Prisma.join(f.tags.map((x) => x.toLowerCase()))}))`);
  }
  if (f.minMessages) w.push(Prisma.sql`t."messageCount" >= ${f.minMessages}`);
  if (f.zone === "brand" && (f.createdFrom || f.createdTo)) {
    // A report drill-down: the brand's calendar days. A UTC envelope (offsets −12…+14 h) keeps the index usable.
    const localDay = Prisma.sql`((t."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE (SELECT b.timezone FROM "Brand" b WHERE b.id = t."brandId"))::date`;
    if (f.createdFrom) w.push(Prisma.sql`t."createdAt" >= ${new Date(Date.parse(`${f.createdFrom}T00:00:00Z`) - 14 * 3600_000)} AND ${localDay} >= ${f.createdFrom}::date`);
    if (f.createdTo) w.push(Prisma.sql`t."createdAt" < ${new Date(Date.parse(`${f.createdTo}T00:00:00Z`) + 36 * 3600_000)} AND ${localDay} <= ${f.createdTo}::date`);
  } else {
    if (f.createdFrom) w.push(Prisma.sql`t."createdAt" >= ${new Date(`${f.createdFrom}T00:00:00Z`)}`);
    if (f.createdTo) w.push(Prisma.sql`t."createdAt" < ${new Date(Date.parse(`${f.createdTo}T00:00:00Z`) + 86400_000)}`);
  }
  if (f.updatedFrom) w.push(Prisma.sql`t."updatedAt" >= ${new Date(`${f.updatedFrom}T00:00:00Z`)}`);
  if (f.updatedTo) w.push(Prisma.sql`t."updatedAt" < ${new Date(Date.parse(`${f.updatedTo}T00:00:00Z`) + 86400_000)}`);
  if (f.sla) {
    const running = Prisma.sql`t.status IN ('OPEN', 'PENDING')`;
    const breached = Prisma.sql`((t."firstResponseAt" IS NULL AND t."firstResponseDueAt" < now()) OR t."resolutionDueAt" < now())`;
    if (f.sla === "breached") w.push(Prisma.sql`${running} AND ${breached}`);
    else {
      const warned = Prisma.sql`((t."firstResponseAt" IS NULL AND t."firstResponseWarnAt" <= now()) OR t."resolutionWarnAt" <= now())`;
      w.push(Prisma.sql`${running} AND ${warned} AND NOT ${breached}`);
    }
  }
  if (f.q) {
    const tsq = toTsQuery(f.q);
    const num = /^#?(\d{1,9})$/.exec(f.q.trim());
    if (num) w.push(Prisma.sql`(t.number = ${Number(num[1])} OR t."searchVector" @@ to_tsquery('simple', ${tsq ?? num[1]}))`);
    else if (tsq) w.push(Prisma.sql`t."searchVector" @@ to_tsquery('simple', ${tsq})`);
  }
  return Prisma.join(w, " AND ");
}

export function orderSql(sort: TicketFilters["sort"]) {
  if (sort === "created") return Prisma.sql`t."createdAt" DESC, t.id DESC`;
  if (sort === "priority") return Prisma.sql`t.priority DESC, t."updatedAt" DESC, t.id DESC`;
  return Prisma.sql`t."updatedAt" DESC, t.id DESC`;
}

/** Keyset: rows strictly after the cursor in the sort order — never OFFSET. */
export function cursorSql(sort: TicketFilters["sort"], c: Cursor | null | undefined) {
  if (!c) return Prisma.sql`true`;
  if (sort === "created") return Prisma.sql`(t."createdAt", t.id) < (${c.createdAt!}, ${c.id})`;
  if (sort === "priority") return Prisma.sql`(t.priority, t."updatedAt", t.id) < (${c.priority!}::"Priority", ${c.updatedAt!}, ${c.id})`;
  return Prisma.sql`(t."updatedAt", t.id) < (${c.updatedAt!}, ${c.id})`;
}

const NARROW_RANGE_DAYS = 31;

/**
 * A short created-date range sorted by anything but creation: PostgreSQL would walk
 * the sort index from the newest ticket and filter until it finds a page, which on
 * old ranges means most of the table. Fetching the range first (its own index) and
 * sorting that small set is two orders of magnitude faster.
 */
function narrowCreatedRange(f: TicketFilters) {
  if (f.sort === "created" || (!f.createdFrom && !f.createdTo)) return false;
  if (!f.createdFrom) return false; // open-ended into the past: the range is not small
  const to = f.createdTo ? Date.parse(`${f.createdTo}T00:00:00Z`) : Date.now();
  return (to - Date.parse(`${f.createdFrom}T00:00:00Z`)) / 86_400_000 <= NARROW_RANGE_DAYS;
}

/** The id query of one inbox page (exported so the bench can EXPLAIN exactly what runs). */
export function matchingIdsSql(f: TicketFilters, ctx: { userId: string; brandIds: string[] }, opts: { cursor?: Cursor | null; limit: number }) {
  const where = Prisma.sql`${filterSql(f, ctx)} AND ${cursorSql(f.sort, opts.cursor)}`;
  if (narrowCreatedRange(f)) {
    return Prisma.sql`
      WITH t AS MATERIALIZED (SELECT t.id, t."updatedAt", t."createdAt", t.priority FROM "Ticket" t WHERE ${where})
      SELECT t.id, t."updatedAt", t."createdAt", t.priority::text AS priority FROM t
      ORDER BY ${orderSql(f.sort)} LIMIT ${opts.limit}`;
  }
  return Prisma.sql`
    SELECT t.id, t."updatedAt", t."createdAt", t.priority::text AS priority FROM "Ticket" t
    WHERE ${where}
    ORDER BY ${orderSql(f.sort)} LIMIT ${opts.limit}`;
}

export async function matchingIds(tx: Tx, f: TicketFilters, ctx: { userId: string; brandIds: string[] }, opts: { cursor?: Cursor | null; limit: number }) {
  return tx.$queryRaw<{ id: number; updatedAt: Date; createdAt: Date; priority: Priority }[]>(matchingIdsSql(f, ctx, opts));
}

export async function countMatching(tx: Tx, f: TicketFilters, ctx: { userId: string; brandIds: string[] }) {
  const r = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Ticket" t WHERE ${filterSql(f, ctx)}`;
  return r[0]?.n ?? 0;
}
