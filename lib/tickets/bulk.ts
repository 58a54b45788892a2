import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import { badRequest, forbidden } from "@/lib/errors";
import type { Prisma, Priority, TicketState, TicketStatus } from "@/lib/generated/prisma/client";
import type { TicketFilters } from "@/lib/tickets/filters";
import { countMatching, matchingIds, type Cursor } from "@/lib/tickets/query";
import { userActor } from "@/lib/tickets/actor";
import { addEventsMany } from "@/lib/tickets/events";
import { changeTags } from "@/lib/tickets/tags";
import { patchChanges, validateRefs, type TicketPatch } from "@/lib/tickets/update";
import { checkStatusChange, isDone } from "@/lib/tickets/status";
import { assignmentEmails } from "@/lib/tickets/notify";
import { enqueueEmails, type OutgoingEmail } from "@/lib/mail/outgoing/enqueue";
import { getSetting } from "@/lib/settings/service";
import { runRules } from "@/lib/automation/engine";
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

/** What each action needs on top of tickets.bulk: the permission of the same change made to one ticket (lib/trpc/routers/tickets.ts). */
export const BULK_PERMISSION: Record<BulkAction["type"], Permission> = {
  assign: "tickets.assign",
  status: "tickets.update",
  priority: "tickets.update",
  typeId: "tickets.update",
  topicId: "tickets.update",
  tags: "tickets.update",
  state: "tickets.delete",
};

export const BULK_BATCH = 500;
/** One request works through at most this many tickets; beyond it the filter is refused before anything changes. */
export const BULK_MAX = 200_000;

const STATE_EVENT: Record<TicketState, "SPAM" | "TRASH" | "RESTORE"> = { SPAM: "SPAM", TRASH: "TRASH", ACTIVE: "RESTORE" };

type Changed = { id: number; number: number; brandId: string; fields: string[] };
type BatchResult = { changed: Changed[]; skipped: number };

/**
 * T4: one action on a selection, or on every ticket matching a filter. One transaction
 * per batch, and in each the same effects as the change made one ticket at a time
 * (history, SLA due times, webhooks, rules, assignment emails, report events). Tickets
 * the single edit would refuse (Closed is final, a topic needed to resolve, merged) are
 * skipped. Each batch is announced to the desks once it has committed.
 */
export async function bulkUpdate(db: Db, user: CurrentUser, input: { ticketIds?: number[]; filters?: TicketFilters; action: BulkAction }, opts: { batchSize?: number } = {}) {
  const size = opts.batchSize ?? BULK_BATCH;
  const a = input.action;
  const needed = BULK_PERMISSION[a.type];
  if (!hasPermission(user.permissions, needed)) throw forbidden(`This needs the “${needed}” permission.`);
  const totals = { matched: 0, changed: 0, skipped: 0 };
  const runBatch = async <T>(load: (tx: Tx) => Promise<{ ids: number[]; next: T }>) => {
    const r = await db.$transaction(
      async (tx) => {
        const { ids, next } = await load(tx);
        return { matched: ids.length, next, ...(ids.length ? await applyAction(tx, user, ids, a) : { changed: [], skipped: 0 }) };
      },
      { timeout: 60_000 },
    );
    totals.matched += r.matched;
    totals.changed += r.changed.length;
    totals.skipped += r.skipped;
    await publish(r.changed.map((t) => ({ channel: brandChannel(t.brandId), event: "ticket.updated" as const, data: { id: t.id, number: t.number, brandId: t.brandId, fields: t.fields } })));
    return r.next;
  };

  if (input.ticketIds) {
    const all = [...new Set(input.ticketIds)];
    for (let i = 0; i < all.length; i += size) {
      const part = all.slice(i, i + size);
      await runBatch(async (tx) => ({ ids: (await tx.ticket.findMany({ where: { id: { in: part }, brandId: { in: user.brandIds } }, select: { id: true } })).map((t) => t.id), next: null }));
    }
  } else if (input.filters) {
    const scope = { userId: user.id, brandIds: user.brandIds };
    const n = await countMatching(db, input.filters, scope);
    if (n > BULK_MAX) throw badRequest(`That filter matches ${n.toLocaleString("en")} tickets; a bulk action handles up to ${BULK_MAX.toLocaleString("en")} at a time. Narrow the filter (for example by date) and run it in parts.`);
    // Walked in creation order, which no bulk action changes: a changed ticket can neither
    // come round again nor make the walk skip one (as sorting by update time or priority would).
    const walk: TicketFilters = { ...input.filters, sort: "created" };
    let cursor: Cursor | null = null;
    do {
      cursor = await runBatch(async (tx) => {
        const rows = await matchingIds(tx, walk, scope, { cursor, limit: size });
        const end = rows.length === size ? rows.at(-1) : undefined;
        return { ids: rows.map((r) => r.id), next: end ? { id: end.id, createdAt: end.createdAt } : null };
      });
    } while (cursor);
  } else throw badRequest("Select tickets or a filter.");
  return totals;
}

async function applyAction(tx: Tx, user: CurrentUser, ids: number[], a: BulkAction): Promise<BatchResult> {
  const actor = userActor(user);
  if (a.type === "tags") {
    const done = await changeTags(tx, ids, actor, a.add, a.remove);
    const rows = done.length ? await tx.ticket.findMany({ where: { id: { in: done } }, select: { id: true, number: true, brandId: true } }) : [];
    return { changed: rows.map((t) => ({ ...t, fields: ["TAGS"] })), skipped: 0 };
  }
  if (a.type === "state") {
    // As moveTickets (spam, trash, restore) does for a handful.
    const rows = await tx.ticket.findMany({ where: { id: { in: ids }, state: { not: a.state } }, select: { id: true, number: true, brandId: true, state: true } });
    if (!rows.length) return { changed: [], skipped: 0 };
    const now = new Date();
    await tx.ticket.updateMany({ where: { id: { in: rows.map((t) => t.id) } }, data: { state: a.state, stateChangedAt: now, updatedAt: now } });
    await addEventsMany(tx, actor, rows.map((t) => ({ ticketId: t.id, events: [{ type: STATE_EVENT[a.state], from: t.state, to: a.state }] })));
    return { changed: rows.map((t) => ({ id: t.id, number: t.number, brandId: t.brandId, fields: ["STATE"] })), skipped: 0 };
  }
  return applyPatch(tx, user, ids, patchOf(a));
}

function patchOf(a: Exclude<BulkAction, { type: "tags" | "state" }>): TicketPatch {
  switch (a.type) {
    case "assign":
      return { assigneeId: a.assigneeId, groupId: a.groupId };
    case "status":
      return { status: a.status };
    case "priority":
      return { priority: a.priority };
    case "typeId":
      return { typeId: a.typeId };
    case "topicId":
      return { topicId: a.topicId };
  }
}

/** updateTicket (lib/tickets/update.ts) for a batch of tickets and one patch, with its writes gathered. */
async function applyPatch(tx: Tx, user: CurrentUser, ids: number[], patch: TicketPatch): Promise<BatchResult> {
  const rows = await tx.ticket.findMany({
    where: { id: { in: ids } },
    select: { id: true, number: true, brandId: true, subject: true, customerId: true, status: true, priority: true, typeId: true, topicId: true, assigneeId: true, groupId: true, mergedIntoId: true },
  });
  for (const b of new Set(rows.map((t) => t.brandId))) await validateRefs(tx, b, patch);
  let skipped = 0;
  const changes: ({ t: (typeof rows)[number] } & ReturnType<typeof patchChanges>)[] = [];
  for (const t of rows) {
    const { events, data } = patchChanges(t, patch);
    if (!events.length) continue;
    if (t.mergedIntoId) skipped++;
    else changes.push({ t, events, data });
  }

  // The status rules, per ticket as a single edit checks them; a ticket they refuse is skipped rather than failing the batch.
  let stamped: string[] = [];
  const to = patch.status;
  if (to) {
    const requireTopic = isDone(to) && (await getSetting(tx, "tickets.requireTopicToResolve"));
    const allowed = changes.filter((c) => c.t.status !== "CLOSED" && !(requireTopic && !c.t.topicId));
    skipped += changes.length - allowed.length;
    changes.splice(0, changes.length, ...allowed);
    // Which timestamps the transition sets (resolvedAt, closedAt): the same for every ticket it allows.
    if (allowed[0]) stamped = Object.keys(await checkStatusChange(tx, allowed[0].t, to, allowed[0].t.topicId));
  }
  if (!changes.length) return { changed: [], skipped };

  const now = new Date();
  const set: Prisma.TicketUncheckedUpdateManyInput = { updatedAt: now, ...Object.fromEntries(stamped.map((k) => [k, now])) };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) Object.assign(set, { [key]: value ?? null });
  await tx.ticket.updateMany({ where: { id: { in: changes.map((c) => c.t.id) } }, data: set });
  if (to && isDone(to)) {
    const resolved = changes.filter((c) => !isDone(c.t.status));
    if (resolved.length) await tx.reportEvent.createMany({ data: resolved.map((c) => ({ type: "RESOLVED" as const, brandId: c.t.brandId, ticketId: c.t.id, userId: user.id })) });
  }
  await addEventsMany(tx, userActor(user), changes.map((c) => ({ ticketId: c.t.id, events: c.events })));

  // Assignment: the new assignee (or, for a group alone, its members) is told; nobody is for an unassign.
  const emails: OutgoingEmail[] = [];
  const assigned: Prisma.ReportEventCreateManyInput[] = [];
  for (const { t, data } of changes) {
    const assigneeChanged = data.assigneeId !== undefined;
    const groupChanged = data.groupId !== undefined;
    if (!assigneeChanged && !groupChanged) continue;
    const assigneeId = assigneeChanged ? data.assigneeId! : t.assigneeId;
    const groupId = groupChanged ? data.groupId! : t.groupId;
    if (!(assigneeChanged ? assigneeId : groupId)) continue;
    emails.push(...(await assignmentEmails(tx, t, { assigneeId: assigneeChanged ? assigneeId : null, groupId, actorId: user.id, actorName: user.name })));
    assigned.push({ type: "ASSIGNED", brandId: t.brandId, ticketId: t.id, userId: assigneeId, groupId });
  }
  await enqueueEmails(tx, emails);
  if (assigned.length) await tx.reportEvent.createMany({ data: assigned });

  for (const c of changes) await runRules(tx, c.t.id, "TICKET_UPDATED");
  return { changed: changes.map((c) => ({ id: c.t.id, number: c.t.number, brandId: c.t.brandId, fields: c.events.map((e) => e.type) })), skipped };
}
