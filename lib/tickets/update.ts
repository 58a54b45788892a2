import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import type { Priority, TicketStatus } from "@/lib/generated/prisma/client";
import { badRequest } from "@/lib/errors";
import { ticketForUser } from "@/lib/tickets/access";
import { userActor } from "@/lib/tickets/actor";
import { addEvents, type EventInput } from "@/lib/tickets/events";
import { notifyAssignment } from "@/lib/tickets/notify";
import { rebuildSearchVector } from "@/lib/tickets/search";
import { checkStatusChange, isDone } from "@/lib/tickets/status";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";
import { runRules } from "@/lib/automation/engine";

export type TicketPatch = {
  status?: TicketStatus;
  priority?: Priority;
  typeId?: string | null;
  topicId?: string | null;
  assigneeId?: string | null;
  groupId?: string | null;
  subject?: string;
};

const FIELD_EVENT = { status: "STATUS", priority: "PRIORITY", typeId: "TYPE", topicId: "TOPIC", assigneeId: "ASSIGNEE", groupId: "GROUP", subject: "SUBJECT" } as const;
type Field = keyof typeof FIELD_EVENT;

/**
 * What a patch really changes on a ticket: the new values, and a history event with the
 * old and new value for each (one edit and a bulk action count changes alike).
 */
export function patchChanges(t: { [K in Field]?: string | null }, patch: TicketPatch) {
  const events: EventInput[] = [];
  const data: Partial<Record<Field, string | null>> = {};
  for (const key of Object.keys(FIELD_EVENT) as Field[]) {
    if (patch[key] === undefined) continue;
    const before = t[key] ?? null;
    const after = patch[key] ?? null;
    if (before === after) continue;
    data[key] = after;
    events.push({ type: FIELD_EVENT[key], from: before, to: after });
  }
  return { events, data };
}

/**
 * Edits ticket fields. Each real change becomes a history event with its old and new
 * value. Two agents editing the same field: the last write wins, and both changes
 * stay visible in the history.
 */
export async function updateTicket(db: Db, user: CurrentUser, input: { number: number; patch: TicketPatch }) {
  const { id } = await ticketForUser(db, user, input.number);
  const result = await db.$transaction(async (tx) => {
    const t = await tx.ticket.findUniqueOrThrow({
      where: { id },
      select: { id: true, number: true, brandId: true, subject: true, status: true, priority: true, typeId: true, topicId: true, assigneeId: true, groupId: true, customerId: true, state: true, mergedIntoId: true },
    });
    if (t.mergedIntoId) throw badRequest("This ticket was merged into another one; edit that ticket instead.");
    const patch = input.patch;
    await validateRefs(tx, t.brandId, patch);
    const { events, data: changed } = patchChanges(t, patch);
    const data: Record<string, unknown> = { ...changed };
    if (!events.length) return { changed: [] as string[], t };
    if (patch.status && patch.status !== t.status) {
      Object.assign(data, await checkStatusChange(tx, t, patch.status, patch.topicId !== undefined ? patch.topicId : t.topicId));
      if (isDone(patch.status) && !isDone(t.status)) {
        await tx.reportEvent.create({ data: { type: "RESOLVED", brandId: t.brandId, ticketId: t.id, userId: user.id } });
      }
    }
    await tx.ticket.update({ where: { id }, data: { ...data, updatedAt: new Date() } });
    await addEvents(tx, id, userActor(user), events);
    if (patch.subject !== undefined) await rebuildSearchVector(tx, id);
    const assigneeChanged = data.assigneeId !== undefined;
    const groupChanged = data.groupId !== undefined;
    if (assigneeChanged || groupChanged) {
      const assigneeId = (assigneeChanged ? data.assigneeId : t.assigneeId) as string | null;
      const groupId = (groupChanged ? data.groupId : t.groupId) as string | null;
      if (assigneeChanged ? assigneeId : groupId) {
        await notifyAssignment(tx, t, { assigneeId: assigneeChanged ? assigneeId : null, groupId, actorId: user.id, actorName: user.name });
        await tx.reportEvent.create({ data: { type: "ASSIGNED", brandId: t.brandId, ticketId: t.id, userId: assigneeId, groupId } });
      }
    }
    await runRules(tx, id, "TICKET_UPDATED");
    return { changed: events.map((e) => e.type), t };
  });
  if (result.changed.length) {
    await publish([{ channel: brandChannel(result.t.brandId), event: "ticket.updated", data: { id, number: result.t.number, brandId: result.t.brandId, fields: result.changed } }]);
  }
  return { changed: result.changed };
}

/** Referenced ids must exist and fit the ticket's brand: a stale or forged id is a clear error. */
export async function validateRefs(tx: Tx, brandId: string, patch: TicketPatch) {
  if (patch.typeId) {
    const ok = await tx.ticketType.findFirst({ where: { id: patch.typeId, OR: [{ brandId: null }, { brandId }] }, select: { id: true } });
    if (!ok) throw badRequest("That type does not exist for this brand.", "typeId");
  }
  if (patch.topicId) {
    const ok = await tx.topic.findFirst({ where: { id: patch.topicId, OR: [{ brandId: null }, { brandId }] }, select: { id: true } });
    if (!ok) throw badRequest("That topic does not exist for this brand.", "topicId");
  }
  if (patch.groupId) {
    const ok = await tx.group.findUnique({ where: { id: patch.groupId }, select: { id: true } });
    if (!ok) throw badRequest("That group does not exist.", "groupId");
  }
  if (patch.assigneeId) {
    const ok = await tx.user.findFirst({ where: { id: patch.assigneeId, active: true }, select: { id: true } });
    if (!ok) throw badRequest("That agent does not exist or is deactivated.", "assigneeId");
  }
  if (patch.subject !== undefined && !patch.subject.trim()) throw badRequest("The subject cannot be empty.", "subject");
}
