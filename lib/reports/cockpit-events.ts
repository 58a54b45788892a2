/**
 * Brand-channel events that change the chat cockpit (ARCHITECTURE.md, realtime channels).
 * The cockpit refetches its state when any of them arrives; it never polls.
 */
export const COCKPIT_EVENTS = ["chat.changed", "agent.status"] as const;
