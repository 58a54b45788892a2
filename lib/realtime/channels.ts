import type { ChatActivity, ChatListItem, ChatMessageView, ChatStatus } from "@/lib/chat/types";

/** Channel names and event payloads shared by the server (publishers) and the browser. */
export const brandChannel = (brandId: string) => `private-brand-${brandId}`;
export const userChannel = (userId: string) => `private-user-${userId}`;
export const ticketPresenceChannel = (ticketId: number) => `presence-ticket-${ticketId}`;
export const chatChannel = (chatId: number) => `private-chat-${chatId}`;

export type TicketChangedEvent = { id: number; number: number; brandId: string; fields: string[] };
export type MessageCreatedEvent = { ticketId: number; number: number; messageId: number; kind: string };

export type RealtimeEvents = {
  "ticket.created": TicketChangedEvent;
  "ticket.updated": TicketChangedEvent;
  "message.created": MessageCreatedEvent;
  /** C2/L3: an agent's chat status changed (cockpit, online counters). */
  "agent.status": { userId: string; status: string; at: string };
  /** Chat channel (visitor and agents): a visible message — never an internal note. */
  "chat.message": { chatId: number; message: ChatMessageView };
  /** C10 read receipts: the other side saw everything up to this message. */
  "chat.seen": { chatId: number; by: "visitor" | "agent"; upToId: number; at: string };
  "chat.updated": ChatUpdatedEvent;
  /** Brand channel: a chat was created, assigned, transferred or resolved (its status or owner changed). */
  /**
   * Brand channel: a chat started, moved or closed. `line` is its new desk list line (null: it
   * left the open chats); without it (or for a list cut off at its limit) desks fetch the list.
   */
  "chat.changed": { chatId: number; brandId: string; status: ChatStatus; line?: ChatListItem | null };
  /**
   * Brand channel: messages or read receipts in these chats — gathered, a few times a second at
   * most — with their new list lines (`chats`; an id without a line there means "refetch").
   */
  "chat.activity": { brandId: string; chatIds: number[]; chats: ChatActivity[] };
  /** User channel: a chat was given to this agent. */
  "chat.assigned": { chatId: number };
};

export type ChatUpdatedEvent = { chatId: number; status: ChatStatus; agent: { name: string; status: string } | null; ticketNumber: number | null; endedAt: string | null };
