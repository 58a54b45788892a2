import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { badRequest } from "@/lib/errors";
import type { TicketState } from "@/lib/generated/prisma/client";
import { getStorage } from "@/lib/storage";
import { ticketsForUser } from "@/lib/tickets/access";
import { userActor } from "@/lib/tickets/actor";
import { addEvents } from "@/lib/tickets/events";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";

const EVENT: Record<TicketState, "SPAM" | "TRASH" | "RESTORE"> = { SPAM: "SPAM", TRASH: "TRASH", ACTIVE: "RESTORE" };

/** Spam, trash and restore (T11). Marking spam can also block the sender. */
export async function moveTickets(db: Db, user: CurrentUser, input: { ticketIds: number[]; state: TicketState; blockSender?: boolean }) {
  const tickets = await ticketsForUser(db, user, input.ticketIds);
  const moved = await db.$transaction(async (tx) => {
    const current = await tx.ticket.findMany({ where: { id: { in: input.ticketIds }, state: { not: input.state } }, select: { id: true, state: true, customerId: true } });
    if (!current.length) return [];
    await tx.ticket.updateMany({ where: { id: { in: current.map((t) => t.id) } }, data: { state: input.state, stateChangedAt: new Date(), updatedAt: new Date() } });
    for (const t of current) await addEvents(tx, t.id, userActor(user), [{ type: EVENT[input.state], from: t.state, to: input.state }]);
    if (input.state === "SPAM" && input.blockSender) {
      await tx.customer.updateMany({ where: { id: { in: current.map((t) => t.customerId) } }, data: { blocked: true } });
    }
    return current.map((t) => t.id);
  });
  await publish(tickets.filter((t) => moved.includes(t.id)).map((t) => ({ channel: brandChannel(t.brandId), event: "ticket.updated" as const, data: { id: t.id, number: t.number, brandId: t.brandId, fields: ["STATE"] } })));
  return { moved: moved.length };
}

/**
 * Purge forever (irreversible): only tickets already in Trash or Spam. Rows go in one
 * transaction; the attachment files are deleted after it commits.
 */
export async function purgeTickets(db: Db, user: CurrentUser | null, input: { ticketIds: number[] }) {
  if (user) await ticketsForUser(db, user, input.ticketIds);
  const { keys, purged } = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: number; state: TicketState }[]>`SELECT id, state FROM "Ticket" WHERE id = ANY(${input.ticketIds}::int[]) ORDER BY id FOR UPDATE`;
    if (rows.some((r) => r.state === "ACTIVE")) throw badRequest("Only tickets in Trash or Spam can be purged. Move them to Trash first.");
    return purgeRows(tx, rows.map((r) => r.id));
  });
  await deleteFiles(db, keys);
  return { purged };
}

/**
 * The tickets and every ticket merged into them (at any depth): a merged source is an empty
 * Closed shell pointing at its target, and would reappear in the inbox once the target is gone.
 * The caller holds the targets' row locks, so no merge into them can land in between.
 */
async function purgeRows(tx: Tx, ticketIds: number[]) {
  if (!ticketIds.length) return { keys: [] as string[], purged: 0 };
  const doomed = (
    await tx.$queryRaw<{ id: number }[]>`
      WITH RECURSIVE d(id) AS (
        SELECT unnest(${ticketIds}::int[])
        UNION
        SELECT t.id FROM "Ticket" t JOIN d ON t."mergedIntoId" = d.id)
      SELECT id FROM d`
  ).map((r) => r.id);
  const atts = await tx.attachment.findMany({ where: { message: { ticketId: { in: doomed } } }, select: { storageKey: true } });
  const { count } = await tx.ticket.deleteMany({ where: { id: { in: doomed } } });
  return { keys: atts.map((a) => a.storageKey), purged: count };
}

async function deleteFiles(db: Db, keys: string[]) {
  if (!keys.length) return;
  // Another message may share a stored file (same upload): only unreferenced ones go.
  const stillUsed = new Set((await db.attachment.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } })).map((a) => a.storageKey));
  await Promise.all([...new Set(keys)].filter((k) => !stillUsed.has(k)).map((k) => getStorage().delete(k)));
}

/**
 * Scheduled: trash older than the retention period is purged, batch after batch (each its own
 * transaction, its files removed after it commits) until none is left, so a backlog catches up
 * in one run. Rows another transaction holds (being restored, say) wait for the next run.
 */
export async function purgeExpiredTrash(db: Db, retentionDays: number, opts: { batchSize?: number } = {}) {
  const batchSize = opts.batchSize ?? 1000;
  const cutoff = new Date(Date.now() - retentionDays * 86400_000);
  let purged = 0;
  for (;;) {
    const batch = await db.$transaction(async (tx) => {
      const ids = (
        await tx.$queryRaw<{ id: number }[]>`
          SELECT id FROM "Ticket" WHERE state = 'TRASH' AND "stateChangedAt" < ${cutoff} ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`
      ).map((r) => r.id);
      return { found: ids.length, ...(await purgeRows(tx, ids)) };
    });
    await deleteFiles(db, batch.keys);
    purged += batch.purged;
    if (batch.found < batchSize) return { purged };
  }
}
