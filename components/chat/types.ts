import type { ChatDetail, ChatListItem, ChatMessageView, ChatStatus } from "@/lib/chat/types";

export type { ArchiveRow, ChatAttachmentView, ChatDetail, ChatListItem, ChatMessageView, ChatStatus } from "@/lib/chat/types";

export type AgentStatus = "ONLINE" | "INVISIBLE" | "BREAK" | "OFFLINE";

/** `chat.overview` (see /work/chat-contract.md). */
export type ChatOverview = {
  queue: number;
  longestWaitSince: string | null;
  onlineAgents: number;
  me: { id: string; status: AgentStatus; statusAt: string; activeChats: number; capacity: number };
  chats: ChatListItem[];
};

/** Loaded by the server pages: the catalog lists a chat agent may not reach through tRPC. */
export type ChatOptions = {
  topics: { id: string; name: string }[];
  groups: { id: string; name: string }[];
  agents: { id: string; name: string }[];
  canned: { id: string; shortcut: string; title: string; body: string }[];
};

export type ChatMe = { id: string; name: string; permissions: string[] };

export const CHAT_STATUS_COLOR: Record<ChatStatus, "yellow" | "blue" | "green" | "gray"> = { QUEUED: "yellow", ACTIVE: "blue", RESOLVED: "green", MISSED: "gray" };
export const AGENT_DOT: Record<string, string> = { ONLINE: "bg-green-500", INVISIBLE: "bg-gray-400", BREAK: "bg-amber-500", OFFLINE: "bg-gray-300" };

/** Optimistic messages carry negative ids until the server answers. */
export type PendingMessage = ChatMessageView & { pending?: boolean; failed?: boolean };

export type ChatDetailCache = ChatDetail;
