/** Chat shapes shared by the server, the desk and the widget (client-safe: types only). */
export type ChatStatus = "QUEUED" | "ACTIVE" | "RESOLVED" | "MISSED";
export type ChatAttachmentView = { id: string; name: string; size: number; contentType: string; url: string };
export type ChatMessageView = {
  id: number; kind: "VISITOR" | "AGENT" | "NOTE" | "SYSTEM"; body: string; // plain text; render as text (never HTML)
  authorName: string | null; createdAt: string /*ISO*/; seenAt: string | null; attachments: ChatAttachmentView[];
};
export type VisitorChatView = {           // what the widget sees (never contains NOTE messages)
  id: number; status: ChatStatus; agent: { name: string; status: string } | null;
  queuePosition: number | null;           // 1-based while QUEUED
  endedAt: string | null; rating: number | null; messages: ChatMessageView[];
};
export type ChatListItem = {
  id: number; status: ChatStatus; visitorName: string; visitorEmail: string | null; lastMessage: string | null;
  lastMessageAt: string; queuedAt: string; assignee: { id: string; name: string } | null; unread: number; brandId: string;
};
/** A chat's list line after messages or read receipts (the brand channel's "chat.activity"). */
export type ChatActivity = Pick<ChatListItem, "id" | "lastMessage" | "lastMessageAt" | "unread">;
export type ChatDetail = {
  id: number; brandId: string; status: ChatStatus; queuedAt: string; assignedAt: string | null; endedAt: string | null; resolvedAt: string | null;
  assignee: { id: string; name: string } | null; group: { id: string; name: string } | null; topic: { id: string; name: string } | null;
  ticketNumber: number | null; rating: number | null; ratingComment: string | null;
  canReply: boolean; canResolve: boolean;   // computed for the caller on the server
  visitor: { id: string; name: string | null; email: string | null; ip: string | null; browser: string | null; os: string | null;
             pages: { url: string; title: string | null; at: string }[]; firstSeenAt: string; lastSeenAt: string; chatCount: number; banned: boolean };
  messages: ChatMessageView[];            // includes NOTE for agents
};
export type ArchiveRow = { id: number; visitorName: string; agent: string | null; topic: string | null; messages: number;
  durationSeconds: number | null; rating: number | null; status: ChatStatus; updatedAt: string };
