import "server-only";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/messages";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate } from "@/lib/mail/templates/render";
import { getSetting } from "@/lib/settings/service";

/**
 * T9: the new assignee — or, when assigned to a group only, every member of that
 * group — is told by email; the customer too when the desk is set up so.
 */
export async function notifyAssignment(
  tx: Tx,
  t: { id: number; number: number; subject: string; customerId: string; brandId?: string },
  change: { assigneeId: string | null; groupId: string | null; actorId: string | null; actorName: string },
) {
  const recipients = change.assigneeId
    ? await tx.user.findMany({ where: { id: change.assigneeId, active: true }, select: { id: true, email: true, name: true, language: true } })
    : change.groupId
      ? await tx.user.findMany({ where: { active: true, groups: { some: { groupId: change.groupId } } }, select: { id: true, email: true, name: true, language: true } })
      : [];
  const group = change.groupId ? await tx.group.findUnique({ where: { id: change.groupId }, select: { name: true } }) : null;
  const url = `${env.APP_URL}/tickets/${t.number}`;
  const brandId = t.brandId ?? (await tx.ticket.findUnique({ where: { id: t.id }, select: { brandId: true } }))?.brandId ?? null;
  const customer = await tx.customer.findUnique({ where: { id: t.customerId }, select: { email: true, name: true, language: true, blocked: true } });
  const ticketVars = { "ticket.number": t.number, "ticket.subject": t.subject, "customer.name": customer?.name, "customer.email": customer?.email, "brand.name": brandId ? (await tx.brand.findUnique({ where: { id: brandId }, select: { name: true } }))?.name : "" };
  for (const r of recipients) {
    if (r.id === change.actorId) continue; // no email for assigning something to yourself
    // Agents get the template in their own language.
    const mail = await renderTemplate(tx, {
      key: change.assigneeId ? "assignment" : "assignment_group",
      language: r.language,
      brandId,
      vars: { ...ticketVars, "agent.name": r.name, "actor.name": change.actorName, "group.name": group?.name ?? "" },
      action: { label: translator(r.language, "emails")("assigned.action"), url },
    });
    await enqueueEmail(tx, { to: [r.email], purpose: "NOTIFICATION", subject: mail.subject, html: mail.html, text: mail.text, ticketId: t.id, headers: { "Auto-Submitted": "auto-generated" } });
  }
  if (change.assigneeId && (await getSetting(tx, "tickets.notifyCustomerOnAssign"))) {
    const agent = await tx.user.findUnique({ where: { id: change.assigneeId }, select: { name: true } });
    if (customer?.email && !customer.blocked && agent) {
      const mail = await renderTemplate(tx, { key: "assignment_customer", language: customer.language, brandId, vars: { ...ticketVars, "agent.name": agent.name } });
      await enqueueEmail(tx, { to: [customer.email], purpose: "NOTIFICATION", subject: mail.subject, html: mail.html, text: mail.text, ticketId: t.id, headers: { "Auto-Submitted": "auto-generated" } });
    }
  }
}
