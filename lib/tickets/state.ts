import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { badRequest } from "@/lib/errors";
import type { TicketState } from "@/lib/generated/prisma/client";
import { getStorage } from "@/lib/storage";
import { ticketsForUser } from "@/lib/tickets/access";
import { SYSTEM, userActor, type Actor } from "@/lib/tickets/actor";
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
    const rows = await tx.ticket.findMany({ where: { id: { in: input.ticketIds } }, select: { id: true, state: true } });
    const live = rows.filter((r) => r.state === "ACTIVE");
    if (live.length) throw badRequest("Only tickets in Trash or Spam can be purged. Move them to Trash first.");
    const atts = await tx.attachment.findMany({ where: { message: { ticketId: { in: input.ticketIds } } }, select: { storageKey: true } });
    await tx.ticket.updateMany({ where: { mergedIntoId: { in: input.ticketIds } }, data: { mergedIntoId: null } });
    await tx.ticket.deleteMany({ where: { id: { in: input.ticketIds } } });
    return { keys: atts.map((a) => a.storageKey), purged: rows.length };
  });
  // Another message may share a stored file (same upload): only unreferenced ones go.
  const stillUsed = new Set((await db.attachment.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } })).map((a) => a.storageKey));
  await Promise.all(keys.filter((k) => !stillUsed.has(k)).map((k) => getStorage().delete(k)));
  return { purged };
}

/** Scheduled: trash older than the retention period is purged. */
export async function purgeExpiredTrash(db: Db, retentionDays: number, actor: Actor = SYSTEM) {
  void actor;
  const cutoff = new Date(Date.now() - retentionDays * 86400_000);
  const ids = (await db.ticket.findMany({ where: { state: "TRASH", stateChangedAt: { lt: cutoff } }, select: { id: true }, take: 1000 })).map((t) => t.id);
  if (!ids.length) return { purged: 0 };
  return purgeTickets(db, null, { ticketIds: ids });
}
