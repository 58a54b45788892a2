import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { badRequest, forbidden } from "@/lib/errors";
import { hasPermission } from "@/lib/auth/permissions";
import type { Priority } from "@/lib/generated/prisma/client";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate } from "@/lib/mail/templates/render";
import { userActor } from "@/lib/tickets/actor";
import { createTicket } from "@/lib/tickets/create";
import { htmlToText, sanitizeAgentHtml } from "@/lib/tickets/html";
import { subjectWithToken } from "@/lib/tickets/reply";
import { validateRefs } from "@/lib/tickets/update";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";

export type AgentTicketInput = {
  brandId: string;
  customer: { id?: string; email?: string | null; name?: string | null };
  subject: string;
  html: string;
  /** Email the customer the message (an outbound ticket); otherwise it records what they told us (phone, walk-in). */
  sendEmail: boolean;
  priority?: Priority;
  assigneeId?: string | null;
  groupId?: string | null;
  typeId?: string | null;
  topicId?: string | null;
};

/** T16: an agent opens a ticket on behalf of a new or existing customer. */
export async function createAgentTicket(db: Db, user: CurrentUser, input: AgentTicketInput) {
  if (!user.brandIds.includes(input.brandId)) throw badRequest("You do not have access to that brand.", "brandId");
  if (!input.customer.id && !input.customer.email && !input.customer.name) throw badRequest("Choose a customer or enter a name or email.", "customer");
  if (input.sendEmail && !input.customer.id && !input.customer.email) throw badRequest("An email address is needed to email the customer.", "customer.email");
  // Giving the new ticket to someone else is an assignment, and needs what assigning needs.
  if (input.assigneeId && input.assigneeId !== user.id && !hasPermission(user.permissions, "tickets.assign")) throw forbidden("This needs the “tickets.assign” permission.");
  const html = sanitizeAgentHtml(input.html);
  const text = htmlToText(html);
  if (!text) throw badRequest("Write the message.", "html");
  const emailMessageId = input.sendEmail ? `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}` : null;
  const created = await db.$transaction(async (tx) => {
    await validateRefs(tx, input.brandId, { assigneeId: input.assigneeId, groupId: input.groupId, typeId: input.typeId, topicId: input.topicId });
    const t = await createTicket(tx, {
      brandId: input.brandId,
      channel: "AGENT",
      subject: input.subject,
      customer: input.customer,
      message: input.sendEmail
        ? { kind: "REPLY", html, text, authorId: user.id, emailMessageId, deliveryStatus: "QUEUED" }
        : { kind: "CUSTOMER", html, text, authorId: user.id },
      actor: userActor(user),
      status: input.sendEmail ? "PENDING" : "OPEN",
      priority: input.priority,
      // Left out, the ticket is the creator's; null is an explicit "Unassigned" and must stay so.
      assigneeId: input.assigneeId === undefined ? user.id : input.assigneeId,
      groupId: input.groupId,
      typeId: input.typeId,
      topicId: input.topicId,
    });
    if (input.sendEmail) {
      if (!t.customer.email) throw badRequest("This customer has no email address.", "customer.email");
      const message = await tx.message.findFirstOrThrow({ where: { ticketId: t.id }, select: { id: true } });
      await tx.message.update({ where: { id: message.id }, data: { to: [t.customer.email] } });
      // The same wrapper as replies (E11), in the customer's language; the subject opens the thread, so no "Re:".
      const customer = await tx.customer.findUniqueOrThrow({ where: { id: t.customerId }, select: { name: true, language: true } });
      const brand = await tx.brand.findUniqueOrThrow({ where: { id: input.brandId }, select: { name: true } });
      const signature = (await tx.user.findUnique({ where: { id: user.id }, select: { signature: true } }))?.signature;
      const mail = await renderTemplate(tx, {
        key: "agent_reply",
        language: customer.language,
        brandId: input.brandId,
        vars: { "ticket.number": t.number, "ticket.subject": input.subject, "customer.name": customer.name, "customer.email": t.customer.email, "brand.name": brand.name, "agent.name": user.name, "agent.signature": signature },
        message: { html, text },
      });
      await enqueueEmail(tx, {
        to: [t.customer.email],
        subject: subjectWithToken(mail.subject || input.subject, t.number).replace(/^Re: /, ""),
        html: mail.html,
        text: mail.text,
        purpose: "AGENT_REPLY",
        ticketId: t.id,
        messageId: message.id,
        emailMessageId: emailMessageId!,
      });
    }
    return t;
  });
  await publish([{ channel: brandChannel(created.brandId), event: "ticket.created", data: { id: created.id, number: created.number, brandId: created.brandId, fields: [] } }]);
  return { number: created.number };
}
