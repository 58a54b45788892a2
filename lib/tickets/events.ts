import "server-only";
import { emitWebhookEvent, ticketPayload } from "@/lib/webhooks/emit";
import { affectsSla, syncTicketSla } from "@/lib/sla/ticket-sla";
import type { Tx } from "@/lib/db";
import { Prisma, type ReportEventType, type TicketEventType } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/tickets/actor";

export type EventInput = { type: TicketEventType; from?: string | null; to?: string | null; data?: Prisma.InputJsonValue };

/**
 * `slaDone`: the caller has already brought the SLA in line with these events (a new ticket).
 * `report`: a report event recorded in the same statement as the history (a new ticket),
 * with `alsoSelect` (e.g. scheduling its SLA checks) evaluated by that statement too.
 */
export async function addEvents(
  tx: Tx,
  ticketId: number,
  actor: Actor,
  events: EventInput[],
  opts: { slaDone?: boolean; report?: { type: ReportEventType; brandId: string; at: Date; alsoSelect?: Prisma.Sql } } = {},
) {
  if (!events.length) return;
  const actorId = actor.type === "USER" ? (actor.id ?? null) : null;
  if (opts.report) {
    // Rows in the given order, as createMany inserts them; createdAt set here, as Prisma does.
    const r = opts.report;
    await tx.$executeRaw`
      WITH e AS (
        INSERT INTO "TicketEvent" ("ticketId", "actorType", "actorId", type, "fromValue", "toValue", data, "createdAt")
        SELECT ${ticketId}::int, ${actor.type}::"ActorType", ${actorId}::text, x.type::"TicketEventType", x.f, x.t, x.d::jsonb, ${new Date()}::timestamp(3)
        FROM unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.from ?? null)}::text[], ${events.map((e) => e.to ?? null)}::text[], ${events.map((e) => (e.data === undefined ? null : JSON.stringify(e.data)))}::text[])
             WITH ORDINALITY AS x(type, f, t, d, n)
        ORDER BY x.n)
      , r AS (INSERT INTO "ReportEvent" (type, "brandId", "ticketId", at) VALUES (${r.type}::"ReportEventType", ${r.brandId}, ${ticketId}::int, ${r.at}::timestamp(3)))
      SELECT ${r.alsoSelect ?? Prisma.sql`1`}`;
  } else {
    await tx.ticketEvent.createMany({
      data: events.map((e) => ({
        ticketId,
        actorType: actor.type,
        actorId,
        type: e.type,
        fromValue: e.from ?? null,
        toValue: e.to ?? null,
        data: e.data,
      })),
    });
  }
  // Creation and status, priority or type changes move SLA due times (and pause them while Pending).
  if (!opts.slaDone && affectsSla(events.map((e) => e.type))) await syncTicketSla(tx, ticketId);
  await emitWebhookEvent(tx, events.some((e) => e.type === "CREATED") ? "ticket.created" : "ticket.updated", async () => ({ ticket: await ticketPayload(tx, ticketId), changes: events.map((e) => ({ type: e.type, from: e.from ?? null, to: e.to ?? null })) }));
}
