import "server-only";
import type { Db } from "@/lib/db";
import type { TicketFilters } from "@/lib/tickets/filters";
import { matchingIds, type Cursor } from "@/lib/tickets/query";
import { slaSummary } from "@/lib/sla/summary";

export type ListInput = { filters: TicketFilters; userId: string; brandIds: string[]; cursor?: Cursor | null; limit: number };

const rowSelect = {
  id: true,
  number: true,
  subject: true,
  snippet: true,
  status: true,
  priority: true,
  channel: true,
  state: true,
  messageCount: true,
  updatedAt: true,
  createdAt: true,
  lastMessageAt: true,
  brandId: true,
  customer: { select: { id: true, name: true, email: true } },
  assignee: { select: { id: true, name: true } },
  group: { select: { id: true, name: true } },
  brand: { select: { name: true, color: true } },
  tags: { select: { tag: { select: { name: true } } } },
  firstResponseAt: true,
  firstResponseDueAt: true,
  firstResponseWarnAt: true,
  resolutionDueAt: true,
  resolutionWarnAt: true,
  slaPausedAt: true,
  slaPolicyId: true,
} as const;

/** One inbox page: ids by the filter in SQL (index-friendly), then the rows by primary key. */
export async function listTickets(db: Db, input: ListInput) {
  const ids = await matchingIds(db, input.filters, input, { cursor: input.cursor, limit: input.limit + 1 });
  const more = ids.length > input.limit;
  const page = more ? ids.slice(0, input.limit) : ids;
  const [rows, reads] = await Promise.all([
    db.ticket.findMany({ where: { id: { in: page.map((r) => r.id) } }, select: rowSelect }),
    db.ticketRead.findMany({ where: { userId: input.userId, ticketId: { in: page.map((r) => r.id) } }, select: { ticketId: true, readAt: true } }),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const readAt = new Map(reads.map((r) => [r.ticketId, r.readAt]));
  const items = page
    .map((p) => byId.get(p.id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map(({ tags, lastMessageAt, firstResponseAt, firstResponseDueAt, firstResponseWarnAt, resolutionDueAt, resolutionWarnAt, slaPausedAt, slaPolicyId, ...t }) => {
      const seen = readAt.get(t.id);
      const sla = slaSummary({ status: t.status, firstResponseAt, firstResponseDueAt, firstResponseWarnAt, resolutionDueAt, resolutionWarnAt, slaPausedAt, slaPolicyId });
      return { ...t, tags: tags.map((x) => x.tag.name), unread: !seen || seen < lastMessageAt, sla };
    });
  const last = page.at(-1);
  return {
    items,
    nextCursor: more && last ? { id: last.id, updatedAt: last.updatedAt, createdAt: last.createdAt, priority: last.priority } : null,
  };
}
