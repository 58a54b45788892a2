import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { badRequest } from "@/lib/errors";
import type { Priority, TicketState, TicketStatus } from "@/lib/generated/prisma/client";
import type { TicketFilters } from "@/lib/tickets/filters";
import { matchingIds } from "@/lib/tickets/query";
import { userActor } from "@/lib/tickets/actor";
import { addEvents, type EventInput } from "@/lib/tickets/events";
import { changeTags } from "@/lib/tickets/tags";
import { validateRefs } from "@/lib/tickets/update";
import { notifyAssignment } from "@/lib/tickets/notify";
import { getSetting } from "@/lib/settings/service";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";

export type BulkAction =
  | { type: "assign"; assigneeId: string | null; groupId?: string | null }
  | { type: "status"; status: TicketStatus }
  | { type: "priority"; priority: Priority }
  | { type: "typeId"; typeId: string | null }
  | { type: "topicId"; topicId: string | null }
  | { type: "tags"; add: string[]; remove: string[] }
  | { type: "state"; state: TicketState };

export const BULK_BATCH = 500;
export const BULK_MAX = 10_000;

/**
 * T4: one action on a selection, or on every ticket matching a filter. One transaction
 * per batch of 500, a history event for each ticket that really changed. Closed tickets
 * keep their status (Closed is final) and are reported as skipped.
 */
export async function bulkUpdate(db: Db, user: CurrentUser, input: { ticketIds?: number[]; filters?: TicketFilters; action: BulkAction }) {
  let ids: number[];
  if (input.ticketIds) {
    const ok = await db.ticket.findMany({ where: { id: { in: input.ticketIds }, brandId: { in: user.brandIds } }, select: { id: true } });
    ids = ok.map((t) => t.id);
  } else if (input.filters) {
    ids = (await matchingIds(db, input.filters, { userId: user.id, brandIds: user.brandIds }, { limit: BULK_MAX + 1 })).map((r) => r.id);
    if (ids.length > BULK_MAX) throw badRequest(`That filter matches more than ${BULK_MAX} tickets; narrow it down first.`);
  } else throw badRequest("Select tickets or a filter.");
  const a = input.action;
  let changed = 0;
  let skipped = 0;
  const touched: { id: number; number: number; brandId: string }[] = [];
  for (let i = 0; i < ids.length; i += BULK_BATCH) {
    const batch = ids.slice(i, i + BULK_BATCH);
    const r = await db.$transaction(async (tx) => {
      if (a.type === "tags") {
        const done = await changeTags(tx, batch, userActor(user), a.add, a.remove);
        return { changedIds: done, skipped: 0 };
      }
      const rows = await tx.ticket.findMany({
        where: { id: { in: batch } },
        select: { id: true, number: true, brandId: true, subject: true, customerId: true, status: true, priority: true, typeId: true, topicId: true, assigneeId: true, groupId: true, state: true },
      });
      let field: "status" | "priority" | "typeId" | "topicId" | "assigneeId" | "state";
      let value: string | null;
      let eventType: EventInput["type"];
      let eligible = rows;
      let skip = 0;
      switch (a.type) {
        case "status":
          field = "status";
          value = a.status;
          eventType = "STATUS";
          eligible = rows.filter((t) => t.status !== "CLOSED");
          skip = rows.length - eligible.length;
          if ((a.status === "RESOLVED" || a.status === "CLOSED") && (await getSetting(tx, "tickets.requireTopicToResolve"))) {
            const noTopic = eligible.filter((t) => !t.topicId);
            skip += noTopic.length;
            eligible = eligible.filter((t) => t.topicId);
          }
          break;
        case "priority":
          field = "priority";
          value = a.priority;
          eventType = "PRIORITY";
          break;
        case "typeId":
          for (const b of new Set(rows.map((t) => t.brandId))) await validateRefs(tx, b, { typeId: a.typeId });
          field = "typeId";
          value = a.typeId;
          eventType = "TYPE";
          break;
        case "topicId":
          for (const b of new Set(rows.map((t) => t.brandId))) await validateRefs(tx, b, { topicId: a.topicId });
          field = "topicId";
          value = a.topicId;
          eventType = "TOPIC";
          break;
        case "assign":
          await validateRefs(tx, "", { assigneeId: a.assigneeId, groupId: a.groupId ?? undefined });
          field = "assigneeId";
          value = a.assigneeId;
          eventType = "ASSIGNEE";
          break;
        case "state":
          field = "state";
          value = a.state;
          eventType = a.state === "SPAM" ? "SPAM" : a.state === "TRASH" ? "TRASH" : "RESTORE";
          break;
      }
      const toChange = eligible.filter((t) => (t[field] ?? null) !== value);
      if (toChange.length) {
        const now = new Date();
        const extra =
          a.type === "status" && a.status === "RESOLVED" ? { resolvedAt: now } : a.type === "status" && a.status === "CLOSED" ? { resolvedAt: now, closedAt: now } : a.type === "state" ? { stateChangedAt: now } : {};
        await tx.ticket.updateMany({ where: { id: { in: toChange.map((t) => t.id) } }, data: { [field]: value, updatedAt: now, ...extra } });
        const actor = userActor(user);
        await tx.ticketEvent.createMany({
          data: toChange.map((t) => ({ ticketId: t.id, actorType: actor.type, actorId: user.id, type: eventType, fromValue: t[field] === null ? null : String(t[field]), toValue: value })),
        });
        if (a.type === "assign" && a.groupId !== undefined) {
          await tx.ticket.updateMany({ where: { id: { in: toChange.map((t) => t.id) } }, data: { groupId: a.groupId } });
          for (const t of toChange) if (t.groupId !== a.groupId) await addEvents(tx, t.id, actor, [{ type: "GROUP", from: t.groupId, to: a.groupId }]);
        }
        if (a.type === "assign") {
          for (const t of toChange) await notifyAssignment(tx, t, { assigneeId: a.assigneeId, groupId: a.groupId ?? t.groupId, actorId: user.id, actorName: user.name });
        }
        if (a.type === "status" && (a.status === "RESOLVED" || a.status === "CLOSED")) {
          const reopenedOrNew = toChange.filter((t) => t.status !== "RESOLVED");
          await tx.reportEvent.createMany({ data: reopenedOrNew.map((t) => ({ type: "RESOLVED" as const, brandId: t.brandId, ticketId: t.id, userId: user.id })) });
        }
      }
      touched.push(...toChange.map((t) => ({ id: t.id, number: t.number, brandId: t.brandId })));
      return { changedIds: toChange.map((t) => t.id), skipped: skip };
    }, { timeout: 60_000 });
    changed += r.changedIds.length;
    skipped += r.skipped;
  }
  await publish(touched.slice(0, 200).map((t) => ({ channel: brandChannel(t.brandId), event: "ticket.updated" as const, data: { id: t.id, number: t.number, brandId: t.brandId, fields: ["BULK"] } })));
  return { matched: ids.length, changed, skipped };
}
