import "server-only";
import type { Tx } from "@/lib/db";
import type { Channel, Priority, TicketStatus } from "@/lib/generated/prisma/client";
import { findOrCreateCustomer } from "@/lib/customers/match";
import type { Actor } from "@/lib/tickets/actor";
import { addEvents } from "@/lib/tickets/events";
import { emitMessageCreated, insertMessage, isPublic, snippetOf, type NewMessage } from "@/lib/tickets/messages";
import { MAX_TEXT } from "@/lib/tickets/search";
import { newTicketSla } from "@/lib/sla/ticket-sla";
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
  /** Values of the brand's custom contact-form fields. */
  fields?: Record<string, string | boolean>;
};

/** One ticket with its first message and history, inside the caller's transaction. */
export async function createTicket(tx: Tx, input: NewTicket) {
  const customer = await findOrCreateCustomer(tx, input.customer);
  const at = input.message.createdAt ?? new Date();
  const message: NewMessage = { ...input.message, customerId: input.message.kind === "CUSTOMER" ? customer.id : null, createdAt: at };
  const subject = input.subject.trim().slice(0, 500) || "(no subject)";
  const status = input.status ?? "OPEN";
  const priority = input.priority ?? "MEDIUM";
  const typeId = input.typeId ?? null;
  const firstResponseAt = message.kind === "REPLY" && message.authorId ? at : null;
  // What syncTicketSla would write after the insert goes into the insert.
  const sla = await newTicketSla(tx, { brandId: input.brandId, priority, typeId, channel: input.channel, status, createdAt: at, firstResponseAt });
  // The row is written once, with what its first message makes of it (what appendMessage
  // would write next: counters, snippet, last customer message, first response) and its
  // search vector: subject and requester (as rebuildSearchVector) and the message's text.
  const [ticket] = await tx.$queryRaw<{ id: number; number: number; brandId: string; customerId: string }[]>`
    INSERT INTO "Ticket" ("brandId", channel, subject, snippet, status, priority, "typeId", "topicId", "customerId", "assigneeId", "groupId", "mailboxId", language, "linkedToId",
                          "createdAt", "updatedAt", "lastMessageAt", "messageCount", "lastCustomerAt", "firstResponseAt",
                          "slaPolicyId", "slaPausedAt", "slaPauses", "firstResponseDueAt", "firstResponseWarnAt", "resolutionDueAt", "resolutionWarnAt", fields, "searchVector")
    VALUES (${input.brandId}, ${input.channel}::"Channel", ${subject}, ${snippetOf(input.message.text)}, ${status}::"TicketStatus", ${priority}::"Priority",
            ${typeId}::text, ${input.topicId ?? null}::text, ${customer.id}, ${input.assigneeId ?? null}::text, ${input.groupId ?? null}::text, ${input.mailboxId ?? null}::text,
            ${input.language ?? input.customer.language ?? null}::text, ${input.linkedToId ?? null}::int,
            ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3), ${isPublic(message.kind) ? 1 : 0}::int,
            ${message.kind === "CUSTOMER" ? at : null}::timestamp(3), ${firstResponseAt}::timestamp(3),
            ${sla.fields?.slaPolicyId ?? null}::text, ${sla.fields?.slaPausedAt ?? null}::timestamp(3), ${JSON.stringify(sla.fields?.slaPauses ?? [])}::jsonb,
            ${sla.fields?.firstResponseDueAt ?? null}::timestamp(3), ${sla.fields?.firstResponseWarnAt ?? null}::timestamp(3),
            ${sla.fields?.resolutionDueAt ?? null}::timestamp(3), ${sla.fields?.resolutionWarnAt ?? null}::timestamp(3),
            ${JSON.stringify(input.fields ?? {})}::jsonb,
            to_tsvector('simple', ${subject} || ' ' || coalesce(${customer.name}::text, '') || ' ' || coalesce(${customer.email}::text, '') || ' ' || coalesce(regexp_replace(${customer.email}::text, '[@.]', ' ', 'g'), ''))
              || to_tsvector('simple', left(${message.text}::text, ${MAX_TEXT}::int)))
    RETURNING id, number, "brandId", "customerId"`;
  if (input.tagIds?.length) await tx.ticketTag.createMany({ data: input.tagIds.map((tagId) => ({ ticketId: ticket!.id, tagId })) });
  const stored = await insertMessage(tx, ticket!.id, { ...message, createdAt: at });
  await emitMessageCreated(tx, ticket!.id, stored, message);
  await addEvents(
    tx,
    ticket!.id,
    input.actor,
    [
      { type: "CREATED", to: input.channel },
      ...(input.assigneeId ? [{ type: "ASSIGNEE" as const, to: input.assigneeId }] : []),
      ...(input.groupId ? [{ type: "GROUP" as const, to: input.groupId }] : []),
      ...(input.linkedToId ? [{ type: "LINKED" as const, to: String(input.linkedToId) }] : []),
    ],
    // The SLA checks are scheduled by the same statement as the history and report event.
    { slaDone: true, report: { type: "TICKET_CREATED", brandId: ticket!.brandId, at, alsoSelect: sla.jobs(ticket!.id) } },
  );
  // The rules see the ticket as just written; those that cannot match it are ruled out without reading it back.
  await runRules(tx, ticket!.id, "TICKET_CREATED", undefined, {
    brandId: input.brandId, subject, channel: input.channel, status, priority, typeId, topicId: input.topicId ?? null, groupId: input.groupId ?? null, assigneeId: input.assigneeId ?? null,
  });
  return { ...ticket!, customer, messageId: stored.id };
}
