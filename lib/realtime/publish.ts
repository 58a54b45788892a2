import "server-only";
import Pusher from "pusher";
import { env } from "@/lib/env";
import type { RealtimeEvents } from "@/lib/realtime/channels";

let client: Pusher | undefined;
let lastWarning = 0;
function pusher(): Pusher {
  client ??= new Pusher({
    appId: env.PUSHER_APP_ID,
    key: env.PUSHER_KEY,
    secret: env.PUSHER_SECRET,
    host: env.PUSHER_HOST,
    port: String(env.PUSHER_PORT),
    useTLS: env.PUSHER_USE_TLS,
    cluster: env.PUSHER_CLUSTER,
  });
  return client;
}

export type Publication = { channel: string; event: keyof RealtimeEvents; data: RealtimeEvents[keyof RealtimeEvents] };

type Event = { channel: string; name: string; data: unknown };
type Waiting = { done: () => void; left: number };

/** The protocol's limit of events per batch request. */
const BATCH = 10;
/** Requests to the realtime server at once; what comes meanwhile is gathered into batches. */
const IN_FLIGHT = 2;
const queue: { event: Event; owner: Waiting }[] = [];
let inFlight = 0;

/**
 * Sends queued events, up to BATCH per request and IN_FLIGHT requests at once. An idle desk
 * publishes at once; a busy one (many requests publishing at the same moment) shares requests
 * instead of opening one each, which costs the web process and the realtime server less per
 * event the busier they are.
 */
function pump() {
  while (inFlight < IN_FLIGHT && queue.length) {
    const taken = queue.splice(0, BATCH);
    inFlight++;
    void send(taken).finally(() => {
      inFlight--;
      for (const t of taken) if (--t.owner.left === 0) t.owner.done();
      pump();
    });
  }
}

async function send(taken: typeof queue) {
  try {
    await pusher().triggerBatch(taken.map((t) => t.event));
  } catch (e) {
    // One caller's bad event (too large, say) must not cost the others theirs: a shared batch
    // the server refused goes again, one caller's events per request.
    const owners = [...new Set(taken.map((t) => t.owner))];
    const refused = e instanceof Pusher.RequestError && e.status !== undefined && e.status >= 400 && e.status < 500;
    if (owners.length > 1 && refused) {
      await Promise.all(owners.map((o) => send(taken.filter((t) => t.owner === o))));
      return;
    }
    // Said once per burst, not once per event, when the realtime server is down.
    if (Date.now() - lastWarning > 60_000) {
      lastWarning = Date.now();
      console.warn("[realtime] publish failed (clients will catch up when they reconnect):", e instanceof Error ? e.message : e);
    }
  }
}

/**
 * Publishes after commit, never inside a transaction, and resolves once the events were sent
 * (in order: a caller's events are sent before any it publishes after awaiting this). A
 * realtime outage costs freshness, not data: clients refetch on reconnect, so failures are
 * only logged.
 */
export function publish(items: Publication[]): Promise<void> {
  if (!items.length) return Promise.resolve();
  return new Promise((done) => {
    const owner: Waiting = { done, left: items.length };
    for (const i of items) queue.push({ event: { channel: i.channel, name: i.event, data: i.data }, owner });
    pump();
  });
}
