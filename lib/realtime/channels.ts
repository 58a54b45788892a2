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
  "assigned-to-you": { ticketId: number; number: number; subject: string };
  /** C2/L3: an agent's chat status changed (cockpit, online counters). */
  "agent.status": { userId: string; status: string; at: string };
};
