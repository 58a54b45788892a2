import "server-only";
import type { Db } from "@/lib/db";
import type { Prisma, TicketState } from "@/lib/generated/prisma/client";

export type TicketListInput = {
  brandIds: string[];
  state: TicketState;
  cursor?: { updatedAt: Date; id: number } | null;
  limit: number;
};

/** First inbox list: newest activity first, keyset on (updatedAt, id) — never OFFSET. */
export async function listTickets(db: Db, input: TicketListInput) {
  const where: Prisma.TicketWhereInput = {
    state: input.state,
    brandId: { in: input.brandIds },
    ...(input.cursor
      ? {
          OR: [
            { updatedAt: { lt: input.cursor.updatedAt } },
            { updatedAt: input.cursor.updatedAt, id: { lt: input.cursor.id } },
          ],
        }
      : {}),
  };
  const rows = await db.ticket.findMany({
    where,
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      number: true,
      subject: true,
      snippet: true,
      status: true,
      priority: true,
      channel: true,
      messageCount: true,
      updatedAt: true,
      createdAt: true,
      customer: { select: { name: true, email: true } },
      assignee: { select: { id: true, name: true } },
      brand: { select: { name: true, color: true } },
      tags: { select: { tag: { select: { name: true } } } },
    },
  });
  const more = rows.length > input.limit;
  const items = (more ? rows.slice(0, input.limit) : rows).map(({ tags, ...t }) => ({ ...t, tags: tags.map((x) => x.tag.name) }));
  const last = items.at(-1);
  return { items, nextCursor: more && last ? { updatedAt: last.updatedAt, id: last.id } : null };
}
