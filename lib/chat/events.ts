import "server-only";
import type { Db, Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ChatActivity, ChatListItem, ChatMessageView, ChatStatus } from "@/lib/chat/types";
import { chatLinesSql, isoSql, lastMessageSql, unreadSql } from "@/lib/chat/views";
import type { Assignment } from "@/lib/chat/assignment";
import { drainQueue } from "@/lib/chat/assignment";
import { brandChannel, chatChannel, userChannel } from "@/lib/realtime/channels";
import { publish, type Publication } from "@/lib/realtime/publish";

/** What everyone watching a chat hears after it changed (status, agent, ticket link). */
export async function chatUpdatedPublications(db: Tx, chatId: number): Promise<Publication[]> {
  const c = await db.chat.findUnique({
    where: { id: chatId },
    select: { brandId: true, status: true, endedAt: true, ticket: { select: { number: true } }, assignee: { select: { name: true, agentStatus: true } } },
  });
  if (!c) return [];
  return withChatLines(db, [
    { channel: chatChannel(chatId), event: "chat.updated", data: { chatId, status: c.status, agent: c.assignee ? { name: c.assignee.name, status: c.assignee.agentStatus } : null, ticketNumber: c.ticket?.number ?? null, endedAt: c.endedAt?.toISOString() ?? null } },
    changed(chatId, c.brandId, c.status),
  ]);
}

/**
 * Gives the "chat.changed" events among `publications` the chats' new desk list lines (null
 * for a chat no longer open), read in one statement: every desk patches its list instead of
 * fetching it again. Should the read fail, the events go out without lines and desks refetch.
 */
export async function withChatLines(db: Tx, publications: Publication[]): Promise<Publication[]> {
  const ids = publications.flatMap((p) => (p.event === "chat.changed" ? [(p.data as { chatId: number }).chatId] : []));
  if (!ids.length) return publications;
  let lines: Map<number, ChatListItem>;
  try {
    const rows = await db.$queryRaw<{ id: number; line: ChatListItem }[]>`
      ${chatLinesSql(Prisma.sql`c.id = ANY (${ids}::int[]) AND c.status IN ('QUEUED', 'ACTIVE')`)}`;
    lines = new Map(rows.map((r) => [r.id, r.line]));
  } catch (e) {
    console.error("[chat] reading changed chats' lines failed:", e instanceof Error ? e.message : e);
    return publications;
  }
  return publications.map((p) => {
    if (p.event !== "chat.changed") return p;
    const data = p.data as { chatId: number };
    return { ...p, data: { ...data, line: lines.get(data.chatId) ?? null } };
  });
}

export const changed = (chatId: number, brandId: string, status: ChatStatus): Publication => ({ channel: brandChannel(brandId), event: "chat.changed", data: { chatId, brandId, status } });

/**
 * Messages and read receipts change a chat's line in every desk list of the brand, many
 * times a second when busy: they are gathered per brand and announced once per ACTIVITY_MS
 * as "chat.activity", carrying the new lines, so desks patch their lists instead of each
 * refetching the whole list (status changes still go out at once as "chat.changed").
 */
const ACTIVITY_MS = 250;
/** Pusher refuses event data over 10 KB; lines are split over several events below that. */
const ACTIVITY_EVENT_BYTES = 8_000;
const activity = new Map<string, Set<number>>();
let activityTimer: ReturnType<typeof setTimeout> | null = null;

export function noteActivity(db: Db, chatId: number, brandId: string) {
  (activity.get(brandId) ?? activity.set(brandId, new Set()).get(brandId)!).add(chatId);
  if (activityTimer) return;
  activityTimer = setTimeout(() => {
    activityTimer = null;
    const gathered = [...activity].map(([b, ids]): [string, number[]] => [b, [...ids]]);
    activity.clear();
    void announceActivity(db, gathered);
  }, ACTIVITY_MS);
  activityTimer.unref?.();
}

async function announceActivity(db: Db, gathered: [string, number[]][]) {
  const ids = gathered.flatMap(([, chatIds]) => chatIds);
  let lines: ChatActivity[] = [];
  try {
    lines = await db.$queryRaw<ChatActivity[]>`
      SELECT c.id, ${lastMessageSql(Prisma.sql`c.id`)} AS "lastMessage", ${isoSql(Prisma.sql`c."lastMessageAt"`)} AS "lastMessageAt", ${unreadSql(Prisma.sql`c.id`)} AS unread
      FROM "Chat" c WHERE c.id = ANY (${ids}::int[])`;
  } catch (e) {
    // The ids still go out: desks refetch what they cannot patch.
    console.error("[chat] reading chat activity failed:", e instanceof Error ? e.message : e);
  }
  const byId = new Map(lines.map((l) => [l.id, l]));
  const items: Publication[] = [];
  for (const [brandId, chatIds] of gathered) {
    let chunk: { chatIds: number[]; chats: ChatActivity[]; bytes: number } = { chatIds: [], chats: [], bytes: 0 };
    const flush = () => {
      if (chunk.chatIds.length) items.push({ channel: brandChannel(brandId), event: "chat.activity", data: { brandId, chatIds: chunk.chatIds, chats: chunk.chats } });
      chunk = { chatIds: [], chats: [], bytes: 0 };
    };
    for (const id of chatIds) {
      const line = byId.get(id);
      const bytes = line ? Buffer.byteLength(JSON.stringify(line)) + 12 : 12;
      if (chunk.bytes + bytes > ACTIVITY_EVENT_BYTES) flush();
      chunk.chatIds.push(id);
      if (line) chunk.chats.push(line);
      chunk.bytes += bytes;
    }
    flush();
  }
  await publish(items);
}

export const messagePublication = (chatId: number, message: ChatMessageView): Publication => ({ channel: chatChannel(chatId), event: "chat.message", data: { chatId, message } });

/** What announces assignments after commit: the agent's toast, the visitor's "joined" line and header. */
export function assignmentPublications(assignments: Assignment[]): Publication[] {
  return assignments.flatMap((a) => [
    { channel: userChannel(a.agentId), event: "chat.assigned", data: { chatId: a.chatId } },
    messagePublication(a.chatId, { id: a.joined.id, kind: "SYSTEM", body: a.joined.body, authorName: null, createdAt: a.joined.createdAt.toISOString(), seenAt: null, attachments: [] }),
    { channel: chatChannel(a.chatId), event: "chat.updated", data: { chatId: a.chatId, status: "ACTIVE", agent: { name: a.agentName, status: "ONLINE" }, ticketNumber: a.ticketNumber, endedAt: null } },
    changed(a.chatId, a.brandId, "ACTIVE"),
  ]);
}


type DrainState = { running: boolean; waiting: (() => void)[] };
const drains = new Map<string, DrainState>();

/**
 * Asks for a queue run of the brand and resolves once a run that started after the request
 * has finished (so a chat committed before the call has had its chance). Requests arriving
 * while a run is under way share the next one: a burst of chat starts costs a few runs, not
 * one per chat, and nobody holds a database connection while waiting for the queue lock.
 * The advisory lock inside the run still orders runs across processes.
 */
export function requestDrain(db: Db, brandId: string): Promise<void> {
  return new Promise((resolve) => {
    let state = drains.get(brandId);
    if (!state) drains.set(brandId, (state = { running: false, waiting: [] }));
    state.waiting.push(resolve);
    if (!state.running) void runDrains(db, brandId, state);
  });
}

async function runDrains(db: Db, brandId: string, state: DrainState) {
  state.running = true;
  try {
    while (state.waiting.length) {
      const served = state.waiting.splice(0);
      try {
        // Announced while the next run starts: chats waiting for it need not wait for the announcement too.
        const assignments = await drainQueue(db, brandId);
        if (assignments.length) void withChatLines(db, assignmentPublications(assignments)).then(publish);
      } catch (e) {
        // The chats stay queued; the next start, resolve or status change runs the queue again.
        console.error(`[chat] queue run for brand ${brandId} failed:`, e instanceof Error ? e.message : e);
      }
      for (const done of served) done();
    }
  } finally {
    state.running = false;
  }
}
