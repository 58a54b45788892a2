import type { ChatListItem } from "@/lib/chat/types";

const rank = (c: ChatListItem, meId: string) => (c.status !== "ACTIVE" ? 2 : c.assignee?.id === meId ? 0 : 1);

/**
 * The desk's chat list order, on the server and after a live patch in the browser: my active
 * chats, then the other agents', each by latest message, then the queue in waiting order.
 */
export function sortChatList(chats: ChatListItem[], meId: string): ChatListItem[] {
  return [...chats].sort(
    (a, b) => rank(a, meId) - rank(b, meId) || (a.status === "QUEUED" ? a.queuedAt.localeCompare(b.queuedAt) : b.lastMessageAt.localeCompare(a.lastMessageAt)) || a.id - b.id,
  );
}
