import "server-only";
import type { Tx } from "@/lib/db";
import type { Channel, Priority, TicketStatus } from "@/lib/generated/prisma/client";
import { findOrCreateCustomer } from "@/lib/customers/match";
import type { Actor } from "@/lib/tickets/actor";
import { addEvents } from "@/lib/tickets/events";
import { emitMessageCreated, insertMessage, isPublic, snippetOf, type NewMessage } from "@/lib/tickets/messages";
import { rebuildSearchVector } from "@/lib/tickets/search";
import { runRules } from "@/lib/automation/engine";

export type NewTicket = {
  brandId: string;
  channel: Channel;
  subject: string;
  customer: { id?: string; email?: string | null; name?: string | null; language?: string | null };
  message: Omit<NewMessage, "customerId">;
  actor: Actor;
  status?: TicketStatus;
  priority?: Priority;
  typeId?: string | null;
  topicId?: string | null;
  assigneeId?: string | null;
  groupId?: string | null;
  mailboxId?: string | null;
  language?: string | null;
  linkedToId?: number | null;
  tagIds?: string[];
};

/** One ticket with its first message and history, inside the caller's transaction. */
export async function createTicket(tx: Tx, input: NewTicket) {
  const customer = await findOrCreateCustomer(tx, input.customer);
  const at = input.message.createdAt ?? new Date();
  const message: NewMessage = { ...input.message, customerId: input.message.kind === "CUSTOMER" ? customer.id : null, createdAt: at };
  // The ticket is inserted with what its first message makes of it (what appendMessage
  // would write next): counters, snippet, last customer message and first response.
  const ticket = await tx.ticket.create({
    data: {
      brandId: input.brandId,
      channel: input.channel,
      subject: input.subject.trim().slice(0, 500) || "(no subject)",
      snippet: snippetOf(input.message.text),
      status: input.status ?? "OPEN",
      priority: input.priority ?? "MEDIUM",
      typeId: input.typeId ?? null,
      topicId: input.topicId ?? null,
      customerId: customer.id,
      assigneeId: input.assigneeId ?? null,
      groupId: input.groupId ?? null,
      mailboxId: input.mailboxId ?? null,
      language: input.language ?? input.customer.language ?? null,
      linkedToId: input.linkedToId ?? null,
      createdAt: at,
      updatedAt: at,
      lastMessageAt: at,
      messageCount: isPublic(message.kind) ? 1 : 0,
      lastCustomerAt: message.kind === "CUSTOMER" ? at : null,
      firstResponseAt: message.kind === "REPLY" && message.authorId ? at : null,
      tags: input.tagIds?.length ? { create: input.tagIds.map((tagId) => ({ tagId })) } : undefined,
    },
    select: { id: true, number: true, brandId: true, customerId: true },
  });
  const stored = await insertMessage(tx, ticket.id, { ...message, createdAt: at });
  // Subject, requester and the first message's text: the same vector as appending it.
  await rebuildSearchVector(tx, ticket.id);
  await emitMessageCreated(tx, ticket.id, stored, message);
  await addEvents(tx, ticket.id, input.actor, [
    { type: "CREATED", to: input.channel },
    ...(input.assigneeId ? [{ type: "ASSIGNEE" as const, to: input.assigneeId }] : []),
    ...(input.groupId ? [{ type: "GROUP" as const, to: input.groupId }] : []),
    ...(input.linkedToId ? [{ type: "LINKED" as const, to: String(input.linkedToId) }] : []),
  ]);
  await tx.reportEvent.create({ data: { type: "TICKET_CREATED", brandId: ticket.brandId, ticketId: ticket.id, at } });
  await runRules(tx, ticket.id, "TICKET_CREATED");
  return { ...ticket, customer, messageId: stored.id };
}
