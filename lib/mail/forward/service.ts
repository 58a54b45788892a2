import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { badRequest } from "@/lib/errors";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { escapeHtml } from "@/lib/mail/templates/layout";
import { renderTemplate, senderFor } from "@/lib/mail/templates/render";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";
import { ticketForUser } from "@/lib/tickets/access";
import { appendMessage } from "@/lib/tickets/messages";

export type ForwardInput = {
  number: number;
  to: string[];
  /** Blank: the forward template's subject ("Fwd: <original>"). */
  subject?: string | null;
  note?: string | null;
  includeAttachments: boolean;
};

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;
const MAX_FORWARD_BYTES = 20 * 1024 * 1024;

/**
 * E8: forwards the ticket's public conversation (never internal notes) to other
 * addresses, through the outgoing job, recorded on the ticket as a Forward message.
 */
export async function forwardTicket(db: Db, user: CurrentUser, input: ForwardInput) {
  const { id } = await ticketForUser(db, user, input.number);
  const to = [...new Set(input.to.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  if (!to.length) throw badRequest("Add at least one recipient.", "to");
  const bad = to.filter((a) => !EMAIL.test(a));
  if (bad.length) throw badRequest(`Not a valid email address: ${bad.join(", ")}`, "to");
  const note = input.note?.trim() ?? "";

  const out = await db.$transaction(async (tx) => {
    const t = await tx.ticket.findUniqueOrThrow({
      where: { id },
      select: { id: true, number: true, subject: true, brandId: true, mailboxId: true, mailbox: { select: { name: true, address: true } }, brand: { select: { name: true } }, customer: { select: { name: true, email: true } } },
    });
    const thread = await tx.message.findMany({
      where: { ticketId: id, kind: { in: ["CUSTOMER", "REPLY", "AUTO_REPLY"] } },
      orderBy: { id: "asc" },
      select: { id: true, html: true, text: true, fromAddress: true, fromName: true, createdAt: true, kind: true, author: { select: { name: true } } },
    });
    const who = (m: (typeof thread)[number]) => (m.kind === "CUSTOMER" ? (m.fromName ? `${m.fromName} <${m.fromAddress ?? ""}>` : (m.fromAddress ?? t.customer.name ?? "")) : (m.author?.name ?? t.brand.name));
    const stamp = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
    const html = thread
      .map((m) => `<div style="border-left:3px solid #e5e7eb;padding-left:12px;margin:0 0 16px"><p style="margin:0 0 8px;color:#6b7280;font-size:12px">${escapeHtml(who(m))} · ${stamp(m.createdAt)}</p>${m.html ?? `<p>${escapeHtml(m.text).replace(/\n/g, "<br>")}</p>`}</div>`)
      .join("");
    const text = thread.map((m) => `--- ${who(m)} · ${stamp(m.createdAt)} ---\n${m.text}`).join("\n\n");

    const mail = await renderTemplate(tx, {
      key: "forward",
      language: user.language,
      brandId: t.brandId,
      vars: { "ticket.number": t.number, "ticket.subject": t.subject, "customer.name": t.customer.name, "customer.email": t.customer.email, "brand.name": t.brand.name, "agent.name": user.name, "forward.note": note },
      message: { html, text },
    });
    const subject = input.subject?.trim() || mail.subject;

    let attachmentIds: string[] = [];
    if (input.includeAttachments) {
      const files = await tx.attachment.findMany({ where: { messageId: { in: thread.map((m) => m.id) }, inline: false }, orderBy: { createdAt: "asc" }, select: { name: true, contentType: true, size: true, sha256: true, storageKey: true } });
      const total = files.reduce((n, f) => n + f.size, 0);
      if (total > MAX_FORWARD_BYTES) throw badRequest(`The thread's attachments are ${Math.ceil(total / 1024 / 1024)} MB together, over the 20 MB an email can carry. Forward without them.`, "includeAttachments");
      // Copies of the rows share the stored file; purging checks for other users of a file.
      attachmentIds = await Promise.all(files.map(async (f) => (await tx.attachment.create({ data: f, select: { id: true } })).id));
    }

    const emailMessageId = `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}`;
    const message = await appendMessage(tx, id, {
      kind: "FORWARD",
      html: note ? `<p>${escapeHtml(note).replace(/\n/g, "<br>")}</p>` : null,
      text: note,
      subject,
      authorId: user.id,
      to,
      emailMessageId,
      deliveryStatus: "QUEUED",
      attachmentIds,
    });
    await enqueueEmail(tx, {
      to,
      subject,
      html: mail.html,
      text: mail.text,
      purpose: "FORWARD",
      ticketId: id,
      messageId: message.id,
      mailboxId: t.mailboxId ?? undefined,
      emailMessageId,
      from: t.mailbox ? await senderFor(tx, t.brandId, t.mailbox, user.name) : undefined,
      replyTo: t.mailbox?.address,
    });
    return { messageId: message.id, brandId: t.brandId, number: t.number };
  });
  await publish([
    { channel: brandChannel(out.brandId), event: "message.created", data: { ticketId: id, number: out.number, messageId: out.messageId, kind: "FORWARD" } },
    { channel: brandChannel(out.brandId), event: "ticket.updated", data: { id, number: out.number, brandId: out.brandId, fields: ["messages"] } },
  ]);
  return { messageId: out.messageId };
}
