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

/**
 * Publishes after commit, never inside a transaction. A realtime outage costs
 * freshness, not data: clients refetch on reconnect, so failures are only logged.
 */
export async function publish(items: Publication[]): Promise<void> {
  if (!items.length) return;
  const batch = items.map((i) => ({ channel: i.channel, name: i.event, data: i.data }));
  try {
    // Batches of 10 (the protocol's limit) go out a few at a time: a queue run that assigned a
    // hundred chats announces them in a fraction of the time, one after another would take.
    const chunks: (typeof batch)[] = [];
    for (let i = 0; i < batch.length; i += 10) chunks.push(batch.slice(i, i + 10));
    for (let i = 0; i < chunks.length; i += 4) await Promise.all(chunks.slice(i, i + 4).map((c) => pusher().triggerBatch(c)));
  } catch (e) {
    // Said once per burst, not once per event, when the realtime server is down.
    if (Date.now() - lastWarning > 60_000) {
      lastWarning = Date.now();
      console.warn("[realtime] publish failed (clients will catch up when they reconnect):", e instanceof Error ? e.message : e);
    }
  }
}

/**
 * Closes every realtime connection signed in as this user (a deactivated user's open
 * desks stop hearing anything at once; 4009 keeps pusher-js from reconnecting). Like
 * publish, a realtime outage is only logged: the next request is refused anyway.
 */
export async function terminateUserConnections(userId: string): Promise<void> {
  try {
    await pusher().terminateUserConnections(userId);
  } catch (e) {
    console.warn("[realtime] could not close the user's connections:", e instanceof Error ? e.message : e);
  }
}
