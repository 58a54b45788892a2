import "server-only";
import { publish, type Publication } from "@/lib/realtime/publish";

/** How long an announcement waits for others to share its request. */
export const ANNOUNCE_MS = 50;
/** The realtime protocol's limit of events per batch request. */
const BATCH = 10;

const waiting: Publication[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

/**
 * Announces new contact-form tickets to the desks a few at a time: an announcement waits
 * up to ANNOUNCE_MS for others, and they go out in one request to the realtime server (at
 * most BATCH), which under load costs the web process and the realtime server a fraction of
 * a request each. A desk sees a new ticket at most that much later. Never throws (as publish).
 */
export function announce(p: Publication) {
  waiting.push(p);
  if (waiting.length >= BATCH) flush();
  else timer ??= setTimeout(flush, ANNOUNCE_MS);
}

function flush() {
  if (timer) clearTimeout(timer);
  timer = null;
  void publish(waiting.splice(0));
}
