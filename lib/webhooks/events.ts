/** Events a webhook can subscribe to. `ping` is sent only by "Send test". */
export const WEBHOOK_EVENTS = ["ticket.created", "ticket.updated", "message.created"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | "ping";
