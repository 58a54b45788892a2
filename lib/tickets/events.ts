import "server-only";
import { emitWebhookEvent, ticketPayload } from "@/lib/webhooks/emit";
import { affectsSla, syncTicketsSla } from "@/lib/sla/ticket-sla";
import type { Tx } from "@/lib/db";
import type { Prisma, TicketEventType } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/tickets/actor";

export type EventInput = { type: TicketEventType; from?: string | null; to?: string | null; data?: Prisma.InputJsonValue };

export async function addEvents(tx: Tx, ticketId: number, actor: Actor, events: EventInput[]) {
  await addEventsMany(tx, actor, [{ ticketId, events }]);
}

/**
 * addEvents for many tickets at once (bulk actions): their history in one insert, and
 * for each ticket what addEvents does after it — so a change made to many tickets has
 * the same effects as the same change made to each alone.
 */
export async function addEventsMany(tx: Tx, actor: Actor, items: { ticketId: number; events: EventInput[] }[]) {
  const withEvents = items.filter((i) => i.events.length);
  if (!withEvents.length) return;
  const actorId = actor.type === "USER" ? (actor.id ?? null) : null;
  await tx.ticketEvent.createMany({
    data: withEvents.flatMap(({ ticketId, events }) =>
      events.map((e) => ({
        ticketId,
        actorType: actor.type,
        actorId,
        type: e.type,
        fromValue: e.from ?? null,
        toValue: e.to ?? null,
        data: e.data,
      })),
    ),
  });
  // Creation and status, priority or type changes move SLA due times (and pause them while Pending).
  await syncTicketsSla(tx, withEvents.filter(({ events }) => affectsSla(events.map((e) => e.type))).map((i) => i.ticketId));
  for (const { ticketId, events } of withEvents) {
    await emitWebhookEvent(tx, events.some((e) => e.type === "CREATED") ? "ticket.created" : "ticket.updated", async () => ({ ticket: await ticketPayload(tx, ticketId), changes: events.map((e) => ({ type: e.type, from: e.from ?? null, to: e.to ?? null })) }));
  }
}
