import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { ticketsForUser } from "@/lib/tickets/access";
import { userActor, type Actor } from "@/lib/tickets/actor";
import { addEvents } from "@/lib/tickets/events";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";

export const normalizeTag = (t: string) => t.trim().toLowerCase().replace(/\s+/g, "-").slice(0, 50);

export async function tagIds(tx: Tx, names: string[]) {
  const clean = [...new Set(names.map(normalizeTag).filter(Boolean))];
  if (!clean.length) return [];
  // Usually every tag exists already: one read, and the insert only for new names.
  const found = await tx.tag.findMany({ where: { name: { in: clean } }, select: { id: true, name: true } });
  if (found.length === clean.length) return found;
  await tx.tag.createMany({ data: clean.map((name) => ({ name })), skipDuplicates: true });
  return tx.tag.findMany({ where: { name: { in: clean } }, select: { id: true, name: true } });
}

/** Adds/removes tags on many tickets; a history event only where something changed. */
export async function changeTags(tx: Tx, ticketIds: number[], actor: Actor, add: string[], remove: string[]) {
  const toAdd = await tagIds(tx, add);
  const toRemove = remove.length ? await tx.tag.findMany({ where: { name: { in: remove.map(normalizeTag) } }, select: { id: true, name: true } }) : [];
  const existing = await tx.ticketTag.findMany({ where: { ticketId: { in: ticketIds } }, select: { ticketId: true, tagId: true } });
  const has = new Set(existing.map((e) => `${e.ticketId}:${e.tagId}`));
  const added = ticketIds.flatMap((ticketId) => toAdd.filter((t) => !has.has(`${ticketId}:${t.id}`)).map((t) => ({ ticketId, tag: t })));
  const removed = ticketIds.flatMap((ticketId) => toRemove.filter((t) => has.has(`${ticketId}:${t.id}`)).map((t) => ({ ticketId, tag: t })));
  if (added.length) await tx.ticketTag.createMany({ data: added.map((a) => ({ ticketId: a.ticketId, tagId: a.tag.id })), skipDuplicates: true });
  if (removed.length) await tx.ticketTag.deleteMany({ where: { OR: removed.map((r) => ({ ticketId: r.ticketId, tagId: r.tag.id })) } });
  const byTicket = new Map<number, { type: "TAG_ADDED" | "TAG_REMOVED"; to: string }[]>();
  for (const a of added) byTicket.set(a.ticketId, [...(byTicket.get(a.ticketId) ?? []), { type: "TAG_ADDED", to: a.tag.name }]);
  for (const r of removed) byTicket.set(r.ticketId, [...(byTicket.get(r.ticketId) ?? []), { type: "TAG_REMOVED", to: r.tag.name }]);
  for (const [ticketId, events] of byTicket) await addEvents(tx, ticketId, actor, events);
  if (byTicket.size) await tx.ticket.updateMany({ where: { id: { in: [...byTicket.keys()] } }, data: { updatedAt: new Date() } });
  return [...byTicket.keys()];
}

export async function updateTicketTags(db: Db, user: CurrentUser, input: { ticketIds: number[]; add: string[]; remove: string[] }) {
  const tickets = await ticketsForUser(db, user, input.ticketIds);
  const changed = await db.$transaction((tx) => changeTags(tx, input.ticketIds, userActor(user), input.add, input.remove));
  await publish(tickets.filter((t) => changed.includes(t.id)).map((t) => ({ channel: brandChannel(t.brandId), event: "ticket.updated" as const, data: { id: t.id, number: t.number, brandId: t.brandId, fields: ["TAGS"] } })));
  return { changed: changed.length };
}
