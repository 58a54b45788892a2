/**
 * The metric definitions every report follows. The definitions page shows these ids with
 * their text from messages (reports.definitions.*); the README carries the English text.
 */
export const METRICS = [
  "firstResponse",
  "resolution",
  "businessTime",
  "reopen",
  "handled",
  "replies",
  "backlog",
  "queueWait",
  "chatDuration",
  "missedChat",
  "csat",
  "sla",
  "attribution",
  "days",
] as const;

export type Metric = (typeof METRICS)[number];

/** English text, the source for the README section and messages/en.json. */
export const DEFINITIONS_EN: Record<Metric, { title: string; body: string }> = {
  firstResponse: {
    title: "First response time",
    body: "From the customer's first message (the ticket's creation) to the first public reply written by a human agent. Auto-replies, internal notes, system messages and forwards never count. Agent-created tickets have no first response time. Counted on the day of the first reply.",
  },
  resolution: {
    title: "Resolution time",
    body: "From the ticket's creation to its last change to Resolved or Closed. A reopened ticket keeps running until it is resolved again, so reopening makes the resolution time longer. Counted on the day of the last resolution; tickets open now are not counted.",
  },
  businessTime: {
    title: "Calendar and business time",
    body: "Every duration is shown in calendar time and in business time. Business time counts only the open hours of the ticket's brand (its business hours and holidays, in its time zone); nights, weekends and holidays are skipped.",
  },
  reopen: {
    title: "Reopen rate",
    body: "Of the tickets resolved in the period, the share that went from Resolved back to Open or Pending at least once.",
  },
  handled: {
    title: "Tickets handled",
    body: "Tickets on which the agent (or the group's tickets on which anyone) posted at least one public reply in the period.",
  },
  replies: { title: "Replies", body: "Public replies written by agents in the period; notes and auto-replies excluded." },
  backlog: {
    title: "Backlog",
    body: "Open and Pending tickets at the end of each day: created on or before that day and not resolved by its end.",
  },
  queueWait: { title: "Wait time in queue", body: "From a chat entering the queue to its assignment to an agent. Missed chats have none." },
  chatDuration: { title: "Chat duration", body: "From the chat's assignment to an agent until it ended (or was resolved)." },
  missedChat: { title: "Missed chat", body: "A chat marked missed, or one that ended without ever being assigned to an agent." },
  csat: {
    title: "CSAT",
    body: "The customer's rating of a chat, 1–5. CSAT is the share of rated chats rated 4 or 5; unrated chats are left out.",
  },
  sla: {
    title: "SLA met and breached",
    body: "A target (first response, resolution) is breached when the reply or resolution came after its due time, or is still missing after it. A ticket is met when all its targets were done in time; tickets still within their targets are neither. Due times are the ones stored on the ticket by its SLA policy, counted in business hours. At risk: open tickets whose next target falls due within two hours.",
  },
  attribution: {
    title: "Agents and groups",
    body: "Response, resolution and SLA figures count for the ticket's current assignee and group; replies and tickets handled count for the agent who wrote the reply.",
  },
  days: {
    title: "Days and periods",
    body: "Each ticket and chat counts on the calendar day of its brand's time zone. Presets (last 7 days, …) end today in the selected brand's time zone (UTC for all brands). The previous period is the same number of days just before.",
  },
};
