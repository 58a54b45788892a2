import "server-only";
import type { Tx } from "@/lib/db";
import type { MessageKind } from "@/lib/generated/prisma/client";
import { appendSearchText } from "@/lib/tickets/search";
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

/**
 * Adds a message and keeps the ticket's counters, snippet, first-response time and
 * search vector in step — every channel (email, form, agent, chat) comes through here.
 */
export async function appendMessage(tx: Tx, ticketId: number, m: NewMessage) {
  const at = m.createdAt ?? new Date();
  const message = await tx.message.create({
    data: {
      ticketId,
      kind: m.kind,
      html: m.html,
      text: m.text,
      authorId: m.authorId ?? null,
      customerId: m.customerId ?? null,
      subject: m.subject ?? null,
      fromAddress: m.fromAddress ?? null,
      fromName: m.fromName ?? null,
      to: m.to ?? [],
      cc: m.cc ?? [],
      emailMessageId: m.emailMessageId ?? null,
      inReplyTo: m.inReplyTo ?? null,
      references: m.references ?? [],
      deliveryStatus: m.deliveryStatus ?? "NONE",
      automated: m.automated ?? false,
      createdAt: at,
    },
    select: { id: true, createdAt: true },
  });
  if (m.attachmentIds?.length) {
    await tx.attachment.updateMany({ where: { id: { in: m.attachmentIds }, messageId: null }, data: { messageId: message.id, uploadedById: null } });
  }
  const pub = isPublic(m.kind);
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { firstResponseAt: true } });
  await tx.ticket.update({
    where: { id: ticketId },
    data: {
      updatedAt: at,
      lastMessageAt: at,
      ...(pub ? { messageCount: { increment: 1 }, snippet: snippetOf(m.text) } : {}),
      ...(m.kind === "CUSTOMER" ? { lastCustomerAt: at } : {}),
      // First response: a public reply by a human agent (auto-replies and notes do not count).
      ...(m.kind === "REPLY" && m.authorId && !ticket.firstResponseAt ? { firstResponseAt: at } : {}),
    },
  });
  await appendSearchText(tx, ticketId, m.text);
  await emitWebhookEvent(tx, "message.created", async () => ({
    ticket: await ticketPayload(tx, ticketId),
    message: { id: message.id, kind: m.kind, text: m.text.slice(0, 20_000), authorId: m.authorId ?? null, customerId: m.customerId ?? null, createdAt: message.createdAt.toISOString() },
  }));
  return { ...message, firstResponse: m.kind === "REPLY" && !!m.authorId && !ticket.firstResponseAt };
}
