import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { badRequest } from "@/lib/errors";
import { ticketForUser } from "@/lib/tickets/access";
import { userActor } from "@/lib/tickets/actor";
import { addEvents } from "@/lib/tickets/events";
import { isPublic, snippetOf } from "@/lib/tickets/messages";
import { rebuildSearchVector } from "@/lib/tickets/search";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";

async function recount(tx: Tx, ticketId: number) {
  const msgs = await tx.message.findMany({ where: { ticketId }, orderBy: { createdAt: "asc" }, select: { kind: true, text: true, createdAt: true, authorId: true } });
  const pub = msgs.filter((m) => isPublic(m.kind));
  const last = msgs.at(-1);
  await tx.ticket.update({
    where: { id: ticketId },
    data: {
      messageCount: pub.length,
      snippet: pub.length ? snippetOf(pub.at(-1)!.text) : "",
      lastMessageAt: last?.createdAt,
      lastCustomerAt: [...msgs].reverse().find((m) => m.kind === "CUSTOMER")?.createdAt ?? null,
      firstResponseAt: msgs.find((m) => m.kind === "REPLY" && m.authorId)?.createdAt ?? null,
      updatedAt: new Date(),
    },
  });
  await rebuildSearchVector(tx, ticketId);
}

/** T13: merge a ticket into another of the same customer; messages, attachments and history move. */
export async function mergeTickets(db: Db, user: CurrentUser, input: { sourceNumber: number; targetNumber: number }) {
  if (input.sourceNumber === input.targetNumber) throw badRequest("Choose a different ticket to merge into.", "targetNumber");
  const source = await ticketForUser(db, user, input.sourceNumber);
  const target = await ticketForUser(db, user, input.targetNumber);
  await db.$transaction(async (tx) => {
    const s = await tx.ticket.findUniqueOrThrow({ where: { id: source.id }, select: { customerId: true, mergedIntoId: true, status: true } });
    const t = await tx.ticket.findUniqueOrThrow({ where: { id: target.id }, select: { customerId: true, mergedIntoId: true, state: true } });
    if (s.customerId !== t.customerId) throw badRequest("Only tickets of the same customer can be merged.", "targetNumber");
    if (s.mergedIntoId || t.mergedIntoId) throw badRequest("One of these tickets was already merged.", "targetNumber");
    await tx.message.updateMany({ where: { ticketId: source.id }, data: { ticketId: target.id } });
    await tx.ticketEvent.updateMany({ where: { ticketId: source.id }, data: { ticketId: target.id } });
    const tags = await tx.ticketTag.findMany({ where: { ticketId: source.id }, select: { tagId: true } });
    await tx.ticketTag.createMany({ data: tags.map((x) => ({ ticketId: target.id, tagId: x.tagId })), skipDuplicates: true });
    await tx.ticket.update({ where: { id: source.id }, data: { mergedIntoId: target.id, status: "CLOSED", closedAt: new Date(), messageCount: 0, snippet: "", updatedAt: new Date() } });
    await addEvents(tx, source.id, userActor(user), [{ type: "MERGED_INTO", from: s.status, to: String(input.targetNumber) }]);
    await addEvents(tx, target.id, userActor(user), [{ type: "MERGED_FROM", to: String(input.sourceNumber) }]);
    await recount(tx, target.id);
    await rebuildSearchVector(tx, source.id);
  });
  await publish([
    { channel: brandChannel(source.brandId), event: "ticket.updated", data: { id: source.id, number: source.number, brandId: source.brandId, fields: ["MERGED"] } },
    { channel: brandChannel(target.brandId), event: "ticket.updated", data: { id: target.id, number: target.number, brandId: target.brandId, fields: ["MERGED"] } },
  ]);
  return { targetNumber: input.targetNumber };
}

/** T13: split one message (and its attachments) off into a new ticket for the same customer. */
export async function splitMessage(db: Db, user: CurrentUser, input: { number: number; messageId: number }) {
  const src = await ticketForUser(db, user, input.number);
  const created = await db.$transaction(async (tx) => {
    const msg = await tx.message.findUnique({ where: { id: input.messageId }, select: { id: true, ticketId: true, text: true, createdAt: true } });
    if (!msg || msg.ticketId !== src.id) throw badRequest("That message is not part of this ticket.", "messageId");
    const count = await tx.message.count({ where: { ticketId: src.id } });
    if (count < 2) throw badRequest("A ticket with a single message cannot be split.", "messageId");
    const t = await tx.ticket.findUniqueOrThrow({ where: { id: src.id }, select: { subject: true, brandId: true, channel: true, customerId: true, priority: true, mailboxId: true, language: true } });
    const ticket = await tx.ticket.create({
      data: { brandId: t.brandId, channel: t.channel, subject: t.subject, customerId: t.customerId, priority: t.priority, mailboxId: t.mailboxId, language: t.language, linkedToId: src.id, createdAt: msg.createdAt },
      select: { id: true, number: true },
    });
    await tx.message.update({ where: { id: msg.id }, data: { ticketId: ticket.id } });
    await addEvents(tx, ticket.id, userActor(user), [{ type: "CREATED", to: t.channel }, { type: "SPLIT", from: String(input.number), to: String(ticket.number) }]);
    await addEvents(tx, src.id, userActor(user), [{ type: "SPLIT", from: String(input.number), to: String(ticket.number) }]);
    await tx.reportEvent.create({ data: { type: "TICKET_CREATED", brandId: t.brandId, ticketId: ticket.id } });
    await recount(tx, ticket.id);
    await recount(tx, src.id);
    return ticket;
  });
  await publish([{ channel: brandChannel(src.brandId), event: "ticket.created", data: { id: created.id, number: created.number, brandId: src.brandId, fields: [] } }]);
  return { number: created.number };
}
