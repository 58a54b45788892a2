import type { Db } from "@/lib/db";
import { createTicket } from "@/lib/tickets/create";
import { appendMessage } from "@/lib/tickets/messages";
import { CUSTOMER } from "@/lib/tickets/actor";

/** Moves a ticket to a status at a given time, with its history event (as the reports read it). */
export async function setStatusAt(db: Db, ticketId: number, status: "OPEN" | "RESOLVED", when: string) {
  const t = await db.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { status: true } });
  await db.ticket.update({ where: { id: ticketId }, data: status === "RESOLVED" ? { status, resolvedAt: new Date(when) } : { status } });
  await db.ticketEvent.create({ data: { ticketId, actorType: "USER", type: "STATUS", fromValue: t.status, toValue: status, createdAt: new Date(when) } });
}

/** For report tests: an email ticket created, then answered by its agent, at the given times. */
export async function answeredTicket(db: Db, s: { key: string; brandId: string; agent: string; group?: string | null; created: string; replied: string }) {
  const t = await db.$transaction((tx) =>
    createTicket(tx, {
      brandId: s.brandId,
      channel: "EMAIL",
      subject: `Ticket ${s.key}`,
      customer: { email: `${s.key.toLowerCase()}@example.com`, name: s.key },
      message: { kind: "CUSTOMER", html: null, text: "Help", createdAt: new Date(s.created) },
      actor: CUSTOMER,
      assigneeId: s.agent,
      groupId: s.group ?? null,
    }),
  );
  await db.$transaction((tx) => appendMessage(tx, t.id, { kind: "REPLY", html: null, text: "On it", authorId: s.agent, createdAt: new Date(s.replied) }));
  return t.id;
}

/** The same, then resolved at the given time. */
export async function resolvedTicket(db: Db, s: { key: string; brandId: string; agent: string; group: string | null; created: string; replied: string; resolved: string }) {
  const id = await answeredTicket(db, s);
  await setStatusAt(db, id, "RESOLVED", s.resolved);
  return id;
}
