import "server-only";
import type { Tx } from "@/lib/db";
import { CUSTOMER, SYSTEM } from "@/lib/tickets/actor";
import { createTicket } from "@/lib/tickets/create";
import { addEvents } from "@/lib/tickets/events";
import { appendMessage, type NewMessage } from "@/lib/tickets/messages";
import { runRules } from "@/lib/automation/engine";

/**
 * A customer writes again (email reply, form, chat relay). Pending or Resolved tickets
 * reopen; a Closed ticket is final, so the message opens a new ticket linked to it.
 */
export async function receiveCustomerMessage(tx: Tx, ticketId: number, m: Omit<NewMessage, "kind" | "customerId">) {
  const t = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: { id: true, number: true, brandId: true, subject: true, status: true, priority: true, channel: true, customerId: true, assigneeId: true, groupId: true, mailboxId: true, typeId: true, language: true, mergedIntoId: true },
  });
  if (t.mergedIntoId) return receiveCustomerMessage(tx, t.mergedIntoId, m);
  if (t.status === "CLOSED") {
    const created = await createTicket(tx, {
      brandId: t.brandId,
      channel: t.channel,
      subject: m.subject ?? t.subject,
      customer: { id: t.customerId },
      message: { ...m, kind: "CUSTOMER" },
      actor: CUSTOMER,
      priority: t.priority,
      typeId: t.typeId,
      groupId: t.groupId,
      assigneeId: t.assigneeId,
      mailboxId: t.mailboxId,
      language: t.language,
      linkedToId: t.id,
    });
    await addEvents(tx, t.id, SYSTEM, [{ type: "LINKED", to: String(created.number) }]);
    return { ticketId: created.id, number: created.number, created: true, reopened: false, messageId: created.messageId };
  }
  const stored = await appendMessage(tx, t.id, { ...m, kind: "CUSTOMER", customerId: t.customerId });
  const reopen = t.status === "PENDING" || t.status === "RESOLVED";
  if (reopen) {
    await tx.ticket.update({ where: { id: t.id }, data: { status: "OPEN" } });
    await addEvents(tx, t.id, CUSTOMER, [{ type: "STATUS", from: t.status, to: "OPEN" }]);
    if (t.status === "RESOLVED") await tx.reportEvent.create({ data: { type: "REOPENED", brandId: t.brandId, ticketId: t.id } });
  }
  await runRules(tx, t.id, "CUSTOMER_REPLIED");
  return { ticketId: t.id, number: t.number, created: false, reopened: reopen, messageId: stored.id };
}
