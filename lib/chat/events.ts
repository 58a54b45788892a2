import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { ChatMessageView, ChatStatus } from "@/lib/chat/types";
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
  return [
    { channel: chatChannel(chatId), event: "chat.updated", data: { chatId, status: c.status, agent: c.assignee ? { name: c.assignee.name, status: c.assignee.agentStatus } : null, ticketNumber: c.ticket?.number ?? null, endedAt: c.endedAt?.toISOString() ?? null } },
    changed(chatId, c.brandId, c.status),
  ];
}

export const changed = (chatId: number, brandId: string, status: ChatStatus): Publication => ({ channel: brandChannel(brandId), event: "chat.changed", data: { chatId, brandId, status } });

export const messagePublication = (chatId: number, message: ChatMessageView): Publication => ({ channel: chatChannel(chatId), event: "chat.message", data: { chatId, message } });

/** After commit: the agents hear about their new chats and the visitors see who joined. */
export async function publishAssignments(db: Db, assignments: Assignment[]) {
  if (!assignments.length) return;
  const items: Publication[] = [];
  for (const a of assignments) {
    items.push({ channel: userChannel(a.agentId), event: "chat.assigned", data: { chatId: a.chatId } });
    const joined = await db.chatMessage.findFirst({ where: { chatId: a.chatId, kind: "SYSTEM" }, orderBy: { id: "desc" }, select: { id: true, body: true, createdAt: true } });
    if (joined) items.push({ channel: chatChannel(a.chatId), event: "chat.message", data: { chatId: a.chatId, message: { id: joined.id, kind: "SYSTEM", body: joined.body, authorName: null, createdAt: joined.createdAt.toISOString(), seenAt: null, attachments: [] } } });
    items.push(...(await chatUpdatedPublications(db, a.chatId)));
  }
  await publish(items);
}

/** Runs the brand's queue and announces what it assigned. */
export async function drainAndPublish(db: Db, brandId: string) {
  const assignments = await drainQueue(db, brandId);
  if (assignments.length) {
    await db.reportEvent.createMany({ data: assignments.map((a) => ({ type: "CHAT_ASSIGNED" as const, brandId, chatId: a.chatId, userId: a.agentId })) });
    await publishAssignments(db, assignments);
  }
  return assignments;
}
