import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { notFound } from "@/lib/errors";
import { slaSummary } from "@/lib/sla/summary";

/**
 * Everything the ticket page shows, and the read marker for this agent.
 * Every read is keyed by the ticket's number, so all of them go out at once instead of
 * waiting for the id (and then the customer) first; the brand check runs on the result,
 * before anything is returned or the read marker is written.
 */
export async function ticketDetail(db: Db, user: CurrentUser, number: number) {
  const sameCustomer = { customer: { tickets: { some: { number } } } };
  const [ticket, messages, events, otherTickets, chats] = await Promise.all([
    db.ticket.findUnique({
      where: { number },
      select: {
        id: true, number: true, subject: true, status: true, priority: true, state: true, channel: true, language: true,
        createdAt: true, updatedAt: true, firstResponseAt: true, resolvedAt: true, mergedIntoId: true,
        firstResponseDueAt: true, firstResponseWarnAt: true, resolutionDueAt: true, resolutionWarnAt: true, slaPausedAt: true, slaPolicyId: true, slaPolicy: { select: { name: true } },
        mergedInto: { select: { number: true } }, linkedTo: { select: { number: true } },
        brand: { select: { id: true, name: true, color: true } },
        type: { select: { id: true, name: true } }, topic: { select: { id: true, name: true } },
        assignee: { select: { id: true, name: true } }, group: { select: { id: true, name: true } },
        mailbox: { select: { name: true, address: true, color: true } },
        tags: { select: { tag: { select: { name: true } } } },
        customer: { select: { id: true, name: true, email: true, phone: true, language: true, organisation: true, attributes: true, blocked: true, tags: { select: { tag: { select: { name: true } } } } } },
      },
    }),
    db.message.findMany({
      where: { ticket: { number } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true, kind: true, html: true, text: true, createdAt: true, fromAddress: true, fromName: true, to: true, cc: true,
        deliveryStatus: true, deliveryError: true,
        author: { select: { id: true, name: true } },
        attachments: { select: { id: true, name: true, contentType: true, size: true, inline: true } },
      },
    }),
    db.ticketEvent.findMany({
      where: { ticket: { number }, type: { not: "CREATED" } },
      orderBy: { createdAt: "asc" },
      select: { id: true, type: true, fromValue: true, toValue: true, createdAt: true, actorType: true, actor: { select: { name: true } } },
    }),
    db.ticket.findMany({
      where: { ...sameCustomer, number: { not: number }, brandId: { in: user.brandIds }, mergedIntoId: null },
      orderBy: { createdAt: "desc" },
      take: 10,
      select: { number: true, subject: true, status: true, createdAt: true },
    }),
    db.chat.findMany({ where: { ...sameCustomer, brandId: { in: user.brandIds } }, orderBy: { createdAt: "desc" }, take: 10, select: { id: true, status: true, createdAt: true, messageCount: true } }),
  ]);
  // Other brands' tickets do not exist for this user (as in ticketForUser).
  if (!ticket || !user.brandIds.includes(ticket.brand.id)) throw notFound(`Ticket #${number}`);
  const { id } = ticket;
  await db.ticketRead.upsert({ where: { userId_ticketId: { userId: user.id, ticketId: id } }, create: { userId: user.id, ticketId: id }, update: { readAt: new Date() } });
  return {
    ticket: { ...ticket, sla: slaSummary(ticket), tags: ticket.tags.map((t) => t.tag.name), customer: { ...ticket.customer, tags: ticket.customer.tags.map((t) => t.tag.name) } },
    messages,
    events,
    otherTickets,
    chats,
  };
}
