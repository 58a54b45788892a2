import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { DomainError, badRequest, forbidden, notFound } from "@/lib/errors";
import type { ArchiveRow, ChatDetail, ChatListItem, ChatMessageView } from "@/lib/chat/types";
import { listCounters, sortChatList } from "@/lib/chat/list-order";
import { agentFileUrl, CHAT_LIST_LIMIT, chatLinesSql, isoSql, loadChatDetail, messageSelect, toChatDetail, toMessageView } from "@/lib/chat/views";
import { assignOne, lockAgent, QUEUE_TX } from "@/lib/chat/assignment";
import { availableSql, capacityOf, capacitySql, chatAgentsWhere, chatSettings } from "@/lib/chat/settings";
import { assignmentPublications, chatUpdatedPublications, noteActivity, requestDrain, messagePublication } from "@/lib/chat/events";
import { relayDueSql, relayJobSql, scheduleRelay } from "@/lib/chat/relay";
import { CHAT_LIMITS } from "@/lib/chat/visitor";
import { Prisma, type AgentStatus, type ChatStatus } from "@/lib/generated/prisma/client";
import { publish, type Publication } from "@/lib/realtime/publish";
import { chatChannel, userChannel } from "@/lib/realtime/channels";

type Agent = Pick<CurrentUser, "id" | "name" | "permissions" | "brandIds">;

const isManager = (u: Agent) => u.permissions.includes("chats.manage");

/** A chat of one of the agent's brands; others look like missing ones. */
async function chatFor(db: Tx, user: Agent, id: number) {
  const chat = await db.chat.findUnique({ where: { id }, select: { id: true, brandId: true, status: true, assigneeId: true, groupId: true, endedAt: true, ticketId: true, visitorId: true } });
  if (!chat || !user.brandIds.includes(chat.brandId)) throw notFound("This chat");
  return chat;
}

const canHandle = (user: Agent, chat: { assigneeId: string | null }) => chat.assigneeId === user.id || isManager(user);

export async function chatDetail(db: Db, user: Agent, id: number): Promise<ChatDetail> {
  const row = await loadChatDetail(db, id, user.brandIds);
  if (!row) throw notFound("This chat");
  const open = row.status === "QUEUED" || row.status === "ACTIVE";
  return toChatDetail(row, { canReply: open && canHandle(user, row), canResolve: open && canHandle(user, row) });
}

/**
 * The desk's chat list and counters in one statement, in sortChatList's order. Desk tabs
 * fetch it when chats start, move or close; messages patch it from "chat.activity".
 */
export async function chatOverview(db: Db, user: Agent, input: { brandId?: string }) {
  const brandIds = input.brandId ? user.brandIds.filter((b) => b === input.brandId) : user.brandIds;
  const [me] = await db.$queryRaw<{ status: AgentStatus; statusAt: string; capacity: number; onlineAgents: number; chats: ChatListItem[] }[]>`
    WITH list AS (${chatLinesSql(Prisma.sql`c."brandId" = ANY (${brandIds}::text[]) AND c.status IN ('QUEUED', 'ACTIVE')`)}
        ORDER BY c."queuedAt" LIMIT ${CHAT_LIST_LIMIT})
    SELECT me."agentStatus"::text AS status, ${isoSql(Prisma.sql`me."agentStatusAt"`)} AS "statusAt",
      ${capacitySql(Prisma.sql`me`)} AS capacity,
      (SELECT count(*)::int FROM "User" u JOIN "Role" r ON r.id = u."roleId" WHERE ${availableSql(brandIds)}) AS "onlineAgents",
      COALESCE((SELECT json_agg(l.line ORDER BY l."queuedAt", l.id) FROM list l), '[]'::json) AS chats
    FROM "User" me WHERE me.id = ${user.id}`;
  if (!me) throw notFound("Your account");
  const chats = sortChatList(me.chats, user.id);
  const { queue, longestWaitSince, activeChats } = listCounters(chats, user.id);
  return { queue, longestWaitSince, onlineAgents: me.onlineAgents, me: { id: user.id, status: me.status, statusAt: me.statusAt, activeChats, capacity: me.capacity }, chats };
}

function checkCanWrite(user: Agent, chat: { status: string; assigneeId: string | null }, note: boolean) {
  if (note) return;
  if (chat.status !== "ACTIVE" && chat.status !== "QUEUED") throw badRequest("This chat is closed. Convert it to a ticket to write to the customer.");
  if (!canHandle(user, chat)) throw forbidden(chat.assigneeId ? "This chat belongs to another agent. Add a note instead, or ask for a transfer." : "Take the chat before replying.");
}

/**
 * A message without files in one statement: the permission check, the message, the chat's
 * counters and — unless a relay job is already waiting for an earlier unseen reply, which
 * reschedules itself — the relay job. Null when the chat is not writable for this agent.
 */
async function quickSend(db: Db, user: Agent, chatId: number, text: string, note: boolean) {
  const kind = note ? "NOTE" : "AGENT";
  const [row] = await db.$queryRaw<{ id: number; createdAt: Date; brandId: string; status: ChatStatus }[]>`
    WITH chat AS (
        SELECT id, "brandId", status FROM "Chat"
        WHERE id = ${chatId} AND "brandId" = ANY (${user.brandIds}::text[])
          AND (${note} OR (status IN ('ACTIVE', 'QUEUED') AND ("assigneeId" = ${user.id} OR ${isManager(user)})))),
      pending AS (SELECT EXISTS (SELECT 1 FROM "ChatMessage" WHERE "chatId" = ${chatId} AND kind = 'AGENT' AND "seenAt" IS NULL AND "relayedAt" IS NULL) AS yes),
      m AS (INSERT INTO "ChatMessage" ("chatId", kind, body, "authorId", "createdAt") SELECT id, ${kind}::"ChatMessageKind", ${text}, ${user.id}, now() FROM chat RETURNING id, "createdAt"),
      c AS (UPDATE "Chat" SET "messageCount" = "messageCount" + 1, "lastMessageAt" = now(), "firstAgentReplyAt" = COALESCE("firstAgentReplyAt", now()), "updatedAt" = now()
        WHERE id = (SELECT id FROM chat) AND ${!note}),
      job AS (
        SELECT ${relayJobSql(chatId, relayDueSql)}
        FROM pending, chat WHERE NOT pending.yes AND ${!note})
    SELECT m.id, m."createdAt", chat."brandId", chat.status::text AS status, (SELECT count(*) FROM job) AS jobs FROM m, chat`;
  return row ?? null;
}

/** An agent's reply (shown to the visitor, relayed by email when unseen) or an internal note. */
export async function agentSend(db: Db, user: Agent, input: { id: number; body: string; note?: boolean; attachmentIds?: string[] }): Promise<ChatMessageView> {
  const note = !!input.note;
  const text = input.body.replace(/\r\n/g, "\n").trim();
  if (!text && !input.attachmentIds?.length) throw badRequest("Write a message first.", "body");
  if (text.length > CHAT_LIMITS.bodyChars) throw badRequest(`Messages can be at most ${CHAT_LIMITS.bodyChars} characters.`, "body");
  if (!input.attachmentIds?.length) {
    const row = await quickSend(db, user, input.id, text, note);
    if (!row) {
      // Not written: say why (missing, closed, someone else's), or that it changed just now.
      checkCanWrite(user, await chatFor(db, user, input.id), note);
      throw new DomainError("CONFLICT", "This chat changed a moment ago. Please try again.");
    }
    const view: ChatMessageView = { id: row.id, kind: note ? "NOTE" : "AGENT", body: text, authorName: user.name, createdAt: row.createdAt.toISOString(), seenAt: null, attachments: [] };
    if (!note) await publish([messagePublication(input.id, view)]);
    noteActivity(db, input.id, row.brandId);
    return view;
  }
  const chat = await chatFor(db, user, input.id);
  checkCanWrite(user, chat, note);
  if (input.attachmentIds.length > CHAT_LIMITS.attachments) throw badRequest(`At most ${CHAT_LIMITS.attachments} files per message.`);
  const relayPending = !note && !!(await db.chatMessage.findFirst({ where: { chatId: chat.id, kind: "AGENT", seenAt: null, relayedAt: null }, select: { id: true } }));
  const s = await chatSettings(db);
  const m = await db.$transaction(async (tx) => {
    const created = await tx.chatMessage.create({ data: { chatId: chat.id, kind: note ? "NOTE" : "AGENT", body: text, authorId: user.id }, select: { id: true, createdAt: true } });
    const n = await tx.attachment.updateMany({ where: { id: { in: input.attachmentIds }, uploadedById: user.id, messageId: null, chatMessageId: null }, data: { chatMessageId: created.id } });
    if (n.count !== input.attachmentIds!.length) throw badRequest("An attachment could not be found. Upload it again.");
    if (!note) {
      await tx.chat.updateMany({ where: { id: chat.id, firstAgentReplyAt: null }, data: { firstAgentReplyAt: created.createdAt } });
      await tx.chat.update({ where: { id: chat.id }, data: { messageCount: { increment: 1 }, lastMessageAt: created.createdAt } });
      if (!relayPending) await scheduleRelay(tx, chat.id, new Date(created.createdAt.getTime() + s.relayDelaySeconds * 1000));
    }
    return tx.chatMessage.findUniqueOrThrow({ where: { id: created.id }, select: messageSelect });
  });
  const view = toMessageView(m, agentFileUrl);
  if (!note) await publish([messagePublication(chat.id, view)]);
  noteActivity(db, chat.id, chat.brandId);
  return view;
}

/** C10: the agent saw the visitor's messages up to this one (a manager looking on is not a read receipt). */
export async function agentSeen(db: Db, user: Agent, input: { id: number; upToId: number }) {
  const rows = await db.$queryRaw<{ brandId: string; seenAt: Date }[]>`
    UPDATE "ChatMessage" m SET "seenAt" = now() FROM "Chat" c
    WHERE c.id = ${input.id} AND c."brandId" = ANY (${user.brandIds}::text[]) AND c."assigneeId" = ${user.id}
      AND m."chatId" = c.id AND m.kind = 'VISITOR' AND m.id <= ${input.upToId} AND m."seenAt" IS NULL
    RETURNING c."brandId", m."seenAt"`;
  if (!rows.length) {
    await chatFor(db, user, input.id); // a chat of another brand still looks missing
    return { ok: true as const };
  }
  const { brandId, seenAt } = rows[0]!;
  await publish([{ channel: chatChannel(input.id), event: "chat.seen", data: { chatId: input.id, by: "agent", upToId: input.upToId, at: seenAt.toISOString() } }]);
  noteActivity(db, input.id, brandId);
  return { ok: true as const };
}

/** The agent picks a waiting chat themself — under the same locks and capacity as the queue. */
export async function takeChat(db: Db, user: Agent, input: { id: number }) {
  const chat = await chatFor(db, user, input.id);
  if (chat.status !== "QUEUED" || chat.endedAt) throw new DomainError("CONFLICT", "This chat is no longer waiting.");
  const assignment = await db.$transaction(async (tx) => {
    const me = await lockAgent(tx, chat.brandId, user.id);
    if (!me) throw badRequest("Set your status to Online to take chats.");
    if (me.load >= me.capacity) throw badRequest(`You already have ${me.load} chats, your limit.`);
    const still = await tx.chat.findUnique({ where: { id: chat.id }, select: { status: true, ticket: { select: { number: true } } } });
    if (still?.status !== "QUEUED") throw new DomainError("CONFLICT", "Another agent took this chat a moment ago.");
    return assignOne(tx, { id: chat.id, brandId: chat.brandId, ticketNumber: still.ticket?.number ?? null }, me, new Date());
  }, QUEUE_TX);
  await publish(assignmentPublications([assignment]));
  return chatDetail(db, user, chat.id);
}

/** C5: resolving needs a topic; the freed place goes to the longest-waiting chat. */
export async function resolveChat(db: Db, user: Agent, input: { id: number; topicId: string | null }) {
  const chat = await chatFor(db, user, input.id);
  if (!canHandle(user, chat)) throw forbidden("Only the assigned agent or a manager can resolve this chat.");
  if (chat.status === "RESOLVED" || chat.status === "MISSED") throw new DomainError("CONFLICT", "This chat is already closed.");
  if (!input.topicId) throw badRequest("Choose a topic before resolving.", "topicId");
  const topic = await db.topic.findFirst({ where: { id: input.topicId, active: true, OR: [{ brandId: null }, { brandId: chat.brandId }] }, select: { id: true, name: true } });
  if (!topic) throw badRequest("Choose one of this brand's topics.", "topicId");
  const at = new Date();
  await db.$transaction(async (tx) => {
    await tx.chat.update({ where: { id: chat.id }, data: { status: "RESOLVED", resolvedAt: at, endedAt: chat.endedAt ?? at, topicId: topic.id } });
    await tx.chatMessage.create({ data: { chatId: chat.id, kind: "SYSTEM", body: `${user.name} resolved the chat (${topic.name}).` } });
    await tx.reportEvent.create({ data: { type: "CHAT_RESOLVED", brandId: chat.brandId, chatId: chat.id, userId: chat.assigneeId ?? user.id } });
  });
  await publishSystemMessage(db, chat.id);
  await publish(await chatUpdatedPublications(db, chat.id));
  await requestDrain(db, chat.brandId);
  return chatDetail(db, user, chat.id);
}

async function publishSystemMessage(db: Db, chatId: number) {
  const m = await db.chatMessage.findFirst({ where: { chatId, kind: "SYSTEM" }, orderBy: { id: "desc" }, select: messageSelect });
  if (m) await publish([messagePublication(chatId, toMessageView(m, agentFileUrl))]);
}

export async function transferTargets(db: Db, user: Agent, input: { id: number }) {
  const chat = await chatFor(db, user, input.id);
  const s = await chatSettings(db);
  const agents = await db.user.findMany({
    where: { ...chatAgentsWhere([chat.brandId]), id: { not: chat.assigneeId ?? undefined } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, agentStatus: true, chatCapacity: true, groups: { select: { group: { select: { chatCapacity: true } } } }, _count: { select: { assignedChats: { where: { status: "ACTIVE" } } } } },
  });
  const groups = await db.group.findMany({ where: { brands: { some: { brandId: chat.brandId } } }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return {
    agents: agents.map((a) => ({ id: a.id, name: a.name, status: a.agentStatus, activeChats: a._count.assignedChats, capacity: capacityOf(a, s.defaultCapacity) })),
    groups,
  };
}

/** Manual transfer to an Online agent with room, or back to the queue of a group. */
export async function transferChat(db: Db, user: Agent, input: { id: number; toUserId?: string; toGroupId?: string }) {
  const chat = await chatFor(db, user, input.id);
  if (!canHandle(user, chat) && !(chat.status === "QUEUED" && isManager(user))) throw forbidden("Only the assigned agent or a manager can transfer this chat.");
  if (chat.status !== "QUEUED" && chat.status !== "ACTIVE") throw new DomainError("CONFLICT", "This chat is already closed.");
  if (!input.toUserId === !input.toGroupId) throw badRequest("Choose an agent or a group.");
  const from = chat.assigneeId ? (await db.user.findUnique({ where: { id: chat.assigneeId }, select: { name: true } }))?.name : null;
  if (input.toUserId) {
    if (input.toUserId === chat.assigneeId) throw badRequest("The chat is already with this agent.");
    await db.$transaction(async (tx) => {
      const to = await lockAgent(tx, chat.brandId, input.toUserId!);
      if (!to) throw badRequest("That agent is not Online for this brand.");
      if (to.load >= to.capacity) throw badRequest(`${to.name} is at their limit of ${to.capacity} chats.`);
      await tx.chat.update({ where: { id: chat.id }, data: { status: "ACTIVE", assigneeId: to.id, assignedAt: new Date() } });
      await tx.chatMessage.create({ data: { chatId: chat.id, kind: "SYSTEM", body: from ? `${user.name} transferred the chat from ${from} to ${to.name}.` : `${user.name} transferred the chat to ${to.name}.` } });
      await tx.reportEvent.create({ data: { type: "CHAT_ASSIGNED", brandId: chat.brandId, chatId: chat.id, userId: to.id } });
    }, QUEUE_TX);
    await publishSystemMessage(db, chat.id);
    await publish([{ channel: userChannel(input.toUserId), event: "chat.assigned", data: { chatId: chat.id } }, ...(await chatUpdatedPublications(db, chat.id))]);
  } else {
    const group = await db.group.findFirst({ where: { id: input.toGroupId, brands: { some: { brandId: chat.brandId } } }, select: { id: true, name: true } });
    if (!group) throw badRequest("Choose a group of this brand.");
    await db.$transaction(async (tx) => {
      await tx.chat.update({ where: { id: chat.id }, data: { status: "QUEUED", assigneeId: null, assignedAt: null, groupId: group.id, queuedAt: new Date() } });
      await tx.chatMessage.create({ data: { chatId: chat.id, kind: "SYSTEM", body: `${user.name} transferred the chat to the ${group.name} group.` } });
    });
    await publishSystemMessage(db, chat.id);
    await publish(await chatUpdatedPublications(db, chat.id));
    await requestDrain(db, chat.brandId);
  }
  return chatDetail(db, user, chat.id);
}

/** C9: banned visitors cannot start chats; their open ones end now. */
export async function banVisitor(db: Db, user: Agent, input: { visitorId: string; banned: boolean }) {
  const visitor = await db.visitor.findUnique({ where: { id: input.visitorId }, select: { id: true, brandId: true } });
  if (!visitor || !user.brandIds.includes(visitor.brandId)) throw notFound("This visitor");
  const ended: number[] = [];
  await db.$transaction(async (tx) => {
    await tx.visitor.update({ where: { id: visitor.id }, data: { banned: input.banned, bannedAt: input.banned ? new Date() : null } });
    if (input.banned) {
      const open = await tx.chat.findMany({ where: { visitorId: visitor.id, status: { in: ["QUEUED", "ACTIVE"] }, endedAt: null }, select: { id: true, status: true } });
      for (const c of open) {
        await tx.chat.update({ where: { id: c.id }, data: { endedAt: new Date(), ...(c.status === "QUEUED" ? { status: "MISSED" } : {}) } });
        await tx.chatMessage.create({ data: { chatId: c.id, kind: "SYSTEM", body: `${user.name} ended the chat.` } });
        ended.push(c.id);
      }
    }
  });
  const items: Publication[] = [];
  for (const id of ended) items.push(...(await chatUpdatedPublications(db, id)));
  await publish(items);
  return { banned: input.banned };
}

/** C6: closed chats, newest first, by group, agent, topic and day range. */
export async function chatArchive(db: Db, user: Agent, input: { brandId?: string; groupId?: string; agentId?: string; topicId?: string; from?: string; to?: string; cursor?: number }) {
  const brandIds = input.brandId ? user.brandIds.filter((b) => b === input.brandId) : user.brandIds;
  const day = (d: string, end: boolean) => new Date(`${d}T00:00:00.000Z`).getTime() + (end ? 86_400_000 : 0);
  const rows = await db.chat.findMany({
    where: {
      brandId: { in: brandIds },
      status: { in: ["RESOLVED", "MISSED"] },
      ...(input.groupId ? { groupId: input.groupId } : {}),
      ...(input.agentId ? { assigneeId: input.agentId } : {}),
      ...(input.topicId ? { topicId: input.topicId } : {}),
      ...(input.from || input.to ? { queuedAt: { ...(input.from ? { gte: new Date(day(input.from, false)) } : {}), ...(input.to ? { lt: new Date(day(input.to, true)) } : {}) } } : {}),
      ...(input.cursor ? { id: { lt: input.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: 51,
    select: { id: true, status: true, messageCount: true, rating: true, updatedAt: true, assignedAt: true, queuedAt: true, endedAt: true, resolvedAt: true, visitor: { select: { name: true, email: true } }, assignee: { select: { name: true } }, topic: { select: { name: true } } },
  });
  const page = rows.slice(0, 50);
  const out: ArchiveRow[] = page.map((c) => {
    const end = c.resolvedAt ?? c.endedAt;
    return {
      id: c.id,
      visitorName: c.visitor.name ?? c.visitor.email ?? `Visitor ${c.id}`,
      agent: c.assignee?.name ?? null,
      topic: c.topic?.name ?? null,
      messages: c.messageCount,
      durationSeconds: end ? Math.round((end.getTime() - (c.assignedAt ?? c.queuedAt).getTime()) / 1000) : null,
      rating: c.rating,
      status: c.status,
      updatedAt: c.updatedAt.toISOString(),
    };
  });
  return { rows: out, nextCursor: rows.length > 50 ? page.at(-1)!.id : null };
}

/** C2: a desk tab is open; an Online agent coming back picks up the waiting chats. */
export async function agentHeartbeat(db: Db, user: Agent) {
  const before = await db.user.update({ where: { id: user.id }, data: { agentSeenAt: new Date() }, select: { agentStatus: true } });
  if (before.agentStatus === "ONLINE") {
    const waiting = await db.chat.groupBy({ by: ["brandId"], where: { brandId: { in: user.brandIds }, status: "QUEUED", endedAt: null }, _count: { _all: true } });
    for (const w of waiting) await requestDrain(db, w.brandId);
  }
  return { ok: true as const };
}
