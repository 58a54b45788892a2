import type { ChatListItem } from "@/lib/chat/types";

/** The desk lists show at most this many open chats (the oldest first); a longer list is fetched, never patched. */
export const CHAT_LIST_LIMIT = 500;

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

/** What the desk's counters derive from its list: the queue, its longest wait, my active chats. */
export function listCounters(chats: ChatListItem[], meId: string) {
  const queued = chats.filter((c) => c.status === "QUEUED");
  return {
    queue: queued.length,
    longestWaitSince: queued.reduce<string | null>((min, c) => (min === null || c.queuedAt < min ? c.queuedAt : min), null),
    activeChats: chats.filter((c) => c.status === "ACTIVE" && c.assignee?.id === meId).length,
  };
}

type ListView = { queue: number; longestWaitSince: string | null; me: { id: string; activeChats: number }; chats: ChatListItem[] };

/**
 * A desk list after a chat started, moved or closed ("chat.changed" with the chat's new line,
 * or null when it left the open chats), or null when the list cannot be patched and must be
 * fetched: the event carried no line, or the list is cut off at its limit.
 */
export function applyChatChange<T extends ListView>(view: T, change: { chatId: number; line?: ChatListItem | null }, limit: number): T | null {
  if (change.line === undefined || view.chats.length >= limit) return null;
  const rest = view.chats.filter((c) => c.id !== change.chatId);
  const chats = sortChatList(change.line ? [...rest, change.line] : rest, view.me.id);
  const { queue, longestWaitSince, activeChats } = listCounters(chats, view.me.id);
  return { ...view, chats, queue, longestWaitSince, me: { ...view.me, activeChats } };
}
