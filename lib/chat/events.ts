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

/** What announces assignments after commit: the agent's toast, the visitor's "joined" line and header. */
export function assignmentPublications(assignments: Assignment[]): Publication[] {
  return assignments.flatMap((a) => [
    { channel: userChannel(a.agentId), event: "chat.assigned", data: { chatId: a.chatId } },
    messagePublication(a.chatId, { id: a.joined.id, kind: "SYSTEM", body: a.joined.body, authorName: null, createdAt: a.joined.createdAt.toISOString(), seenAt: null, attachments: [] }),
    { channel: chatChannel(a.chatId), event: "chat.updated", data: { chatId: a.chatId, status: "ACTIVE", agent: { name: a.agentName, status: "ONLINE" }, ticketNumber: a.ticketNumber, endedAt: null } },
    changed(a.chatId, a.brandId, "ACTIVE"),
  ]);
}

/** Runs the brand's queue and announces what it assigned. */
export async function drainAndPublish(db: Db, brandId: string) {
  const assignments = await drainQueue(db, brandId);
  await publish(assignmentPublications(assignments));
  return assignments;
}
