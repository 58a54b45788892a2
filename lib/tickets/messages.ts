import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma, type MessageKind } from "@/lib/generated/prisma/client";
import { MAX_TEXT } from "@/lib/tickets/search";
import { emitWebhookEvent, ticketPayload } from "@/lib/webhooks/emit";

export type NewMessage = {
  kind: MessageKind;
  html: string | null;
  text: string;
  authorId?: string | null;
  customerId?: string | null;
  subject?: string | null;
  fromAddress?: string | null;
  fromName?: string | null;
  to?: string[];
  cc?: string[];
  emailMessageId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  deliveryStatus?: "NONE" | "QUEUED";
  attachmentIds?: string[];
  createdAt?: Date;
  /** Sent by a machine (auto-reply, list mail): automations never answer it. */
  automated?: boolean;
};

const PUBLIC: MessageKind[] = ["CUSTOMER", "REPLY", "FORWARD", "AUTO_REPLY"];
export const isPublic = (k: MessageKind) => PUBLIC.includes(k);

export function snippetOf(text: string) {
  return text.replace(/\s+/g, " ").trim().slice(0, 160);
}

/** The "message.created" webhook (nothing is read unless a webhook listens). */
export function emitMessageCreated(tx: Tx, ticketId: number, message: { id: number; createdAt: Date }, m: NewMessage) {
  return emitWebhookEvent(tx, "message.created", async () => ({
    ticket: await ticketPayload(tx, ticketId),
    message: { id: message.id, kind: m.kind, text: m.text.slice(0, 20_000), authorId: m.authorId ?? null, customerId: m.customerId ?? null, createdAt: message.createdAt.toISOString() },
  }));
}

/**
 * Adds a message and keeps the ticket's counters, snippet, first-response time and
 * search vector in step — every channel (email, form, agent, chat) comes through here.
 * (A new ticket's first message is stored by createTicket, which writes these values
 * when it inserts the ticket.)
 */
export async function appendMessage(tx: Tx, ticketId: number, m: NewMessage) {
  const at = m.createdAt ?? new Date();
  const pub = isPublic(m.kind);
  // First response: a public reply by a human agent (auto-replies and notes do not count).
  const reply = m.kind === "REPLY" && !!m.authorId;
  const hasText = !!m.text.trim();
  // The message, and the ticket's counters, snippet, first response and search text, in one
  // statement; "prev" is the first-response time before this message (read as the row was).
  const rows = await tx.$queryRaw<{ id: number | null; prev: Date | null }[]>`
    WITH o AS (SELECT "firstResponseAt" AS prev FROM "Ticket" WHERE id = ${ticketId}),
    m AS (
      INSERT INTO "Message" ("ticketId", kind, html, text, "authorId", "customerId", subject, "fromAddress", "fromName", "to", cc, "emailMessageId", "inReplyTo", "references", "deliveryStatus", automated, "createdAt")
      SELECT ${ticketId}::int, ${m.kind}::"MessageKind", ${m.html}::text, ${m.text}::text, ${m.authorId ?? null}::text, ${m.customerId ?? null}::text, ${m.subject ?? null}::text,
             ${m.fromAddress ?? null}::text, ${m.fromName ?? null}::text, ${m.to ?? []}::text[], ${m.cc ?? []}::text[], ${m.emailMessageId ?? null}::text, ${m.inReplyTo ?? null}::text,
             ${m.references ?? []}::text[], ${m.deliveryStatus ?? "NONE"}::"DeliveryStatus", ${m.automated ?? false}::boolean, ${at}::timestamp(3)
      FROM o
      RETURNING id),
    u AS (
      UPDATE "Ticket" t SET
        "updatedAt" = ${at},
        "lastMessageAt" = ${at},
        "messageCount" = CASE WHEN ${pub} THEN t."messageCount" + 1 ELSE t."messageCount" END,
        snippet = CASE WHEN ${pub} THEN ${pub ? snippetOf(m.text) : ""}::text ELSE t.snippet END,
        "lastCustomerAt" = CASE WHEN ${m.kind === "CUSTOMER"} THEN ${at}::timestamp(3) ELSE t."lastCustomerAt" END,
        "firstResponseAt" = CASE WHEN ${reply} AND o.prev IS NULL THEN ${at}::timestamp(3) ELSE t."firstResponseAt" END,
        "searchVector" = CASE WHEN ${hasText} THEN coalesce(t."searchVector", ''::tsvector) || to_tsvector('simple', left(${hasText ? m.text : ""}::text, ${MAX_TEXT}::int)) ELSE t."searchVector" END
      FROM o
      WHERE t.id = ${ticketId})
    SELECT (SELECT id FROM m) AS id, o.prev FROM o`;
  if (!rows.length || rows[0]!.id === null) throw new Prisma.PrismaClientKnownRequestError(`Ticket ${ticketId} not found`, { code: "P2025", clientVersion: Prisma.prismaVersion.client });
  const message = { id: rows[0]!.id, createdAt: at };
  if (m.attachmentIds?.length) {
    await tx.attachment.updateMany({ where: { id: { in: m.attachmentIds }, messageId: null }, data: { messageId: message.id, uploadedById: null } });
  }
  await emitMessageCreated(tx, ticketId, message, m);
  return { ...message, firstResponse: reply && !rows[0]!.prev };
}
