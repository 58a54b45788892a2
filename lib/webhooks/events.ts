/** Events a webhook can subscribe to. `ping` is sent only by "Send test". */
export const WEBHOOK_EVENTS = ["ticket.created", "ticket.updated", "message.created"] as const;
/** `ping` is "Send test"; `rule` is sent by a rule's "call a webhook" action, whatever the subscription. */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | "ping" | "rule";
