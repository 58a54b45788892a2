import "server-only";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/messages";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { emailLayout } from "@/lib/mail/templates/layout";
import { getSetting } from "@/lib/settings/service";

/**
 * T9: the new assignee — or, when assigned to a group only, every member of that
 * group — is told by email; the customer too when the desk is set up so.
 */
export async function notifyAssignment(
  tx: Tx,
  t: { id: number; number: number; subject: string; customerId: string },
  change: { assigneeId: string | null; groupId: string | null; actorId: string | null; actorName: string },
) {
  const recipients = change.assigneeId
    ? await tx.user.findMany({ where: { id: change.assigneeId, active: true }, select: { id: true, email: true, name: true, language: true } })
    : change.groupId
      ? await tx.user.findMany({ where: { active: true, groups: { some: { groupId: change.groupId } } }, select: { id: true, email: true, name: true, language: true } })
      : [];
  const group = change.groupId ? await tx.group.findUnique({ where: { id: change.groupId }, select: { name: true } }) : null;
  const url = `${env.APP_URL}/tickets/${t.number}`;
  for (const r of recipients) {
    if (r.id === change.actorId) continue; // no email for assigning something to yourself
    const tr = translator(r.language, "emails");
    const subject = tr("assigned.subject", { number: t.number, subject: t.subject });
    const body = change.assigneeId ? tr("assigned.toYou", { actor: change.actorName }) : tr("assigned.toGroup", { actor: change.actorName, group: group?.name ?? "" });
    await enqueueEmail(tx, {
      to: [r.email],
      purpose: "NOTIFICATION",
      subject,
      ticketId: t.id,
      headers: { "Auto-Submitted": "auto-generated" },
      ...emailLayout({ title: subject, paragraphs: [tr("greeting", { name: r.name }), body], action: { label: tr("assigned.action"), url } }),
    });
  }
  if (change.assigneeId && (await getSetting(tx, "tickets.notifyCustomerOnAssign"))) {
    const customer = await tx.customer.findUnique({ where: { id: t.customerId }, select: { email: true, name: true, language: true, blocked: true } });
    const agent = await tx.user.findUnique({ where: { id: change.assigneeId }, select: { name: true } });
    if (customer?.email && !customer.blocked && agent) {
      const tr = translator(customer.language ?? "en", "emails");
      const subject = tr("assignedCustomer.subject", { number: t.number, subject: t.subject });
      await enqueueEmail(tx, {
        to: [customer.email],
        purpose: "NOTIFICATION",
        subject,
        ticketId: t.id,
        headers: { "Auto-Submitted": "auto-generated" },
        ...emailLayout({ title: subject, paragraphs: [tr("greeting", { name: customer.name ?? "" }), tr("assignedCustomer.body", { agent: agent.name })] }),
      });
    }
  }
}
