import "server-only";
import type { CurrentUser } from "@/lib/auth/current-user";
import { listCannedResponses } from "@/lib/canned/service";
import { db } from "@/lib/db";
import type { ChatMe, ChatOptions } from "@/components/chat/types";

/**
 * Topics, groups, chat agents and canned responses for the chat screens, read on the
 * server: a chat-only role may hold neither tickets.view (tickets.options) nor
 * tickets.reply (canned.list), yet needs these lists.
 */
export async function loadChatOptions(user: CurrentUser): Promise<ChatOptions> {
  const [topics, groups, agents, canned] = await Promise.all([
    db.topic.findMany({ where: { active: true, OR: [{ brandId: null }, { brandId: { in: user.brandIds } }] }, orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true, name: true } }),
    db.group.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.user.findMany({ where: { active: true, role: { permissions: { has: "chats.answer" } } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    listCannedResponses(db, user),
  ]);
  return { topics, groups, agents, canned: canned.map((c) => ({ id: c.id, shortcut: c.shortcut, title: c.title, body: c.body })) };
}

export const chatMe = (user: CurrentUser): ChatMe => ({ id: user.id, name: user.name, permissions: user.permissions });
