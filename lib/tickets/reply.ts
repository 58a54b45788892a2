import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { badRequest } from "@/lib/errors";
import type { TicketStatus } from "@/lib/generated/prisma/client";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate, senderFor } from "@/lib/mail/templates/render";
import { ticketForUser } from "@/lib/tickets/access";
import { userActor } from "@/lib/tickets/actor";
import { addEvents } from "@/lib/tickets/events";
import { appendMessage } from "@/lib/tickets/messages";
import { checkStatusChange, isDone } from "@/lib/tickets/status";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";
import { sanitizeAgentHtml, htmlToText } from "@/lib/tickets/html";
import { runRules } from "@/lib/automation/engine";

export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export type ReplyInput = {
  number: number;
  kind: "REPLY" | "NOTE";
  html: string;
  to?: string[];
  cc?: string[];
  attachmentIds?: string[];
  status?: Extract<TicketStatus, "OPEN" | "PENDING" | "RESOLVED">;
};

export function subjectWithToken(subject: string, number: number) {
  const base = subject.replace(/\s*\[#\d+\]\s*/g, " ").trim();
  return `${/^re:/i.test(base) ? base : `Re: ${base}`} [#${number}]`;
}

/** The thread's Message-IDs, oldest first, for References; the last customer one for In-Reply-To. */
async function threadHeaders(tx: Tx, ticketId: number) {
  const ids = await tx.message.findMany({ where: { ticketId, emailMessageId: { not: null } }, orderBy: { id: "asc" }, select: { emailMessageId: true, kind: true } });
  const refs = ids.map((m) => m.emailMessageId!).slice(-20);
  const lastCustomer = [...ids].reverse().find((m) => m.kind === "CUSTOMER")?.emailMessageId ?? refs.at(-1) ?? null;
  return { refs, inReplyTo: lastCustomer };
}

/**
 * An agent's reply (emailed to the requester, extra To and CC) or internal note
 * (never emailed), optionally changing the status — all in one transaction.
 */
export async function replyToTicket(db: Db, user: CurrentUser, input: ReplyInput) {
  const { id } = await ticketForUser(db, user, input.number);
  const html = sanitizeAgentHtml(input.html);
  const text = htmlToText(html);
  if (!text.trim() && !input.attachmentIds?.length) throw badRequest("Write a message before sending.", "html");
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  if (attachmentIds.length > MAX_ATTACHMENTS) throw badRequest(`At most ${MAX_ATTACHMENTS} attachments per message.`, "attachmentIds");

  const out = await db.$transaction(async (tx) => {
    const t = await tx.ticket.findUniqueOrThrow({
      where: { id },
      select: { id: true, number: true, brandId: true, subject: true, status: true, topicId: true, state: true, mergedIntoId: true, mailboxId: true, mailbox: { select: { address: true, name: true } }, customer: { select: { email: true, name: true, blocked: true, language: true } }, brand: { select: { name: true } } },
    });
    if (t.mergedIntoId) throw badRequest("This ticket was merged into another one; reply there.");
    if (attachmentIds.length) {
      const owned = await tx.attachment.count({ where: { id: { in: attachmentIds }, uploadedById: user.id, messageId: null } });
      if (owned !== attachmentIds.length) throw badRequest("An attachment is missing or already used; upload it again.", "attachmentIds");
    }
    const to = input.kind === "REPLY" ? [...new Set([t.customer.email, ...(input.to ?? [])].filter((a): a is string => !!a).map((a) => a.toLowerCase()))] : [];
    const cc = input.kind === "REPLY" ? [...new Set((input.cc ?? []).map((a) => a.toLowerCase()))].filter((a) => !to.includes(a)) : [];
    if (input.kind === "REPLY" && !to.length) throw badRequest("This customer has no email address; add one in the customer panel, or write a note.", "to");

    const emailMessageId = input.kind === "REPLY" ? `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}` : null;
    const thread = input.kind === "REPLY" ? await threadHeaders(tx, id) : null;
    const message = await appendMessage(tx, id, {
      kind: input.kind,
      html,
      text,
      authorId: user.id,
      to,
      cc,
      emailMessageId,
      inReplyTo: thread?.inReplyTo ?? null,
      references: thread?.refs ?? [],
      deliveryStatus: input.kind === "REPLY" ? "QUEUED" : "NONE",
      attachmentIds,
    });
    if (message.firstResponse) {
      const created = await tx.ticket.findUniqueOrThrow({ where: { id }, select: { createdAt: true } });
      await tx.reportEvent.create({ data: { type: "FIRST_REPLY", brandId: t.brandId, ticketId: id, userId: user.id, seconds: Math.round((message.createdAt.getTime() - created.createdAt.getTime()) / 1000) } });
    }
    if (input.kind === "REPLY") await tx.reportEvent.create({ data: { type: "REPLY", brandId: t.brandId, ticketId: id, userId: user.id } });

    if (input.status && input.status !== t.status) {
      const extra = await checkStatusChange(tx, t, input.status, t.topicId);
      await tx.ticket.update({ where: { id }, data: { status: input.status, ...extra } });
      await addEvents(tx, id, userActor(user), [{ type: "STATUS", from: t.status, to: input.status }]);
      if (isDone(input.status)) await tx.reportEvent.create({ data: { type: "RESOLVED", brandId: t.brandId, ticketId: id, userId: user.id } });
    }

    if (input.kind === "REPLY" && thread) {
      const signature = (await tx.user.findUnique({ where: { id: user.id }, select: { signature: true } }))?.signature;
      // E11: the agent reply wrapper, in the customer's language.
      const mail = await renderTemplate(tx, {
        key: "agent_reply",
        language: t.customer.language,
        brandId: t.brandId,
        vars: { "ticket.number": t.number, "ticket.subject": t.subject, "customer.name": t.customer.name, "customer.email": t.customer.email, "brand.name": t.brand.name, "agent.name": user.name, "agent.signature": signature },
        message: { html, text },
      });
      await enqueueEmail(tx, {
        to,
        cc,
        // The [#number] token is always there, whatever the template says, so replies thread.
        subject: subjectWithToken(mail.subject || t.subject, t.number),
        html: mail.html,
        text: mail.text,
        purpose: "AGENT_REPLY",
        ticketId: id,
        messageId: message.id,
        mailboxId: t.mailboxId ?? undefined,
        emailMessageId: emailMessageId!,
        from: t.mailbox ? await senderFor(tx, t.brandId, t.mailbox, user.name) : undefined,
        replyTo: t.mailbox?.address,
        headers: {
          ...(thread.inReplyTo ? { "In-Reply-To": `<${thread.inReplyTo}>` } : {}),
          ...(thread.refs.length ? { References: thread.refs.map((r) => `<${r}>`).join(" ") } : {}),
        },
      });
    }
    if (input.kind === "REPLY") await runRules(tx, id, "AGENT_REPLIED");
    return { messageId: message.id, brandId: t.brandId, number: t.number };
  });
  await publish([
    { channel: brandChannel(out.brandId), event: "message.created", data: { ticketId: id, number: out.number, messageId: out.messageId, kind: input.kind } },
    { channel: brandChannel(out.brandId), event: "ticket.updated", data: { id, number: out.number, brandId: out.brandId, fields: ["messages", ...(input.status ? ["STATUS"] : [])] } },
  ]);
  return { messageId: out.messageId };
}
