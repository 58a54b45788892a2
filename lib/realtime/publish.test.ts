/**
 * The app's publisher against the built-in server, heard through pusher-js: many requests
 * publishing at once share batch requests, and lose nothing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startRealtimeServer } from "@/lib/realtime/server";
import { APP, client, subscribe, withTimeout } from "@/lib/realtime/server/test-helpers";

// The app reads its realtime configuration once, when its modules load: the server comes first.
const realtime = await startRealtimeServer({ host: "127.0.0.1", port: 0, apps: [APP], logger: () => undefined });
Object.assign(process.env, { PUSHER_APP_ID: APP.id, PUSHER_KEY: APP.key, PUSHER_SECRET: APP.secret, PUSHER_HOST: "127.0.0.1", PUSHER_PORT: String(realtime.port) });
const { publish } = await import("@/lib/realtime/publish");
afterAll(() => realtime.close());

type Seen = { chatId: number; by: "agent" | "visitor"; upToId: number; at: string };
const seen = (chatId: number, upToId: number) => ({ channel: "private-chat-1", event: "chat.seen" as const, data: { chatId, by: "agent" as const, upToId, at: new Date().toISOString() } });

describe("publish", () => {
  it("200 requests publishing at the same moment (sharing batch requests): every event arrives, each request's in its order", async () => {
    const desk = client(realtime.port);
    const { channel } = await subscribe(desk, "private-chat-1");
    const heard: Seen[] = [];
    const all = withTimeout(
      new Promise<void>((resolve) =>
        channel.bind("chat.seen", (e: Seen) => {
          heard.push(e);
          if (heard.length === 400) resolve();
        }),
      ),
      "400 events",
    );
    await Promise.all(Array.from({ length: 200 }, (_, i) => publish([seen(i, 1), seen(i, 2)])));
    await all;
    for (let i = 0; i < 200; i++) expect(heard.filter((e) => e.chatId === i).map((e) => e.upToId)).toEqual([1, 2]);
  });

  it("an event the server refuses (over 10 KB) costs only its own request's events, not those it shared a batch with", async () => {
    const desk = client(realtime.port);
    const { channel } = await subscribe(desk, "private-chat-1");
    const heard: Seen[] = [];
    const ok = withTimeout(
      new Promise<void>((resolve) =>
        channel.bind("chat.seen", (e: Seen) => {
          heard.push(e);
          if (heard.filter((h) => h.chatId >= 997).length === 22) resolve();
        }),
      ),
      "the others' events",
    );
    const huge = { channel: "private-chat-1", event: "chat.message" as const, data: { chatId: 1, message: { id: 1, kind: "AGENT" as const, body: "x".repeat(20_000), authorName: null, createdAt: new Date().toISOString(), seenAt: null, attachments: [] } } };
    // The first two go out at once; the refused one and the twenty after it wait and share batches.
    await Promise.all([publish([seen(997, 1)]), publish([seen(998, 1)]), publish([huge]), ...Array.from({ length: 20 }, (_, i) => publish([seen(1000 + i, 1)]))]);
    await ok;
    expect(heard.filter((h) => h.chatId >= 997).map((h) => h.chatId).sort((a, b) => a - b)).toEqual([997, 998, ...Array.from({ length: 20 }, (_, i) => 1000 + i)]);
  });
});
