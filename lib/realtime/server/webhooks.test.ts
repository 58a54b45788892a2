import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { APP, client, connected, nextEvent, onCleanup, sdk, startServer, subscribe, waitUntil } from "./test-helpers";

interface Delivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
  status: number;
}

interface WebhookEventBody {
  name: string;
  channel: string;
  user_id?: string;
  event?: string;
  data?: string;
  socket_id?: string;
}

/** A webhook receiver that answers with the given statuses in turn (200 once they run out). */
async function receiver(statuses: number[] = []) {
  const deliveries: Delivery[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = statuses.shift() ?? 200;
      deliveries.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8"), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  onCleanup(() => new Promise((resolve) => http.close(resolve)));
  const accepted = () => deliveries.filter((d) => d.status === 200);
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/pusher/webhooks`,
    deliveries,
    accepted,
    events: () => accepted().flatMap((d) => (JSON.parse(d.rawBody) as { events: WebhookEventBody[] }).events),
  };
}

describe("webhooks", () => {
  it("reports occupancy, presence and client events in signed batches the SDK verifies", async () => {
    const hook = await receiver();
    const server = await startServer({ apps: [{ ...APP, webhookUrl: hook.url }], webhookBatchMs: 1000 });
    const a = client(server.port, { user: { user_id: "ann" } });
    const b = client(server.port, { user: { user_id: "ben" } });
    await Promise.all([connected(a), connected(b)]);
    const [{ channel: aChannel }] = await Promise.all([subscribe(a, "presence-w"), subscribe(a, "private-w1"), subscribe(a, "private-w2")]);
    const [{ channel: bChannel }] = await Promise.all([subscribe(b, "presence-w"), subscribe(b, "private-solo")]);
    const relayed = nextEvent(aChannel, "client-note");
    bChannel.trigger("client-note", { text: "hi" });
    await relayed;
    b.disconnect();

    await waitUntil(() => hook.events().some((e) => e.name === "member_removed"), "member_removed delivered");
    await waitUntil(() => hook.events().some((e) => e.name === "channel_vacated"), "channel_vacated delivered");
    const api = sdk(server.port);
    for (const d of hook.accepted()) {
      const webhook = api.webhook({ headers: d.headers as Record<string, string>, rawBody: d.rawBody });
      expect(webhook.isValid()).toBe(true);
      expect(typeof webhook.getData().time_ms).toBe("number");
    }
    // Signature really depends on the body: a tampered copy fails verification.
    const first = hook.accepted()[0]!;
    expect(api.webhook({ headers: first.headers as Record<string, string>, rawBody: first.rawBody.replace("presence-w", "presence-x") }).isValid()).toBe(false);

    const events = hook.events();
    expect(events).toEqual(
      expect.arrayContaining([
        { name: "channel_occupied", channel: "presence-w" },
        { name: "channel_occupied", channel: "private-w1" },
        { name: "channel_occupied", channel: "private-w2" },
        { name: "member_added", channel: "presence-w", user_id: "ann" },
        { name: "member_added", channel: "presence-w", user_id: "ben" },
        {
          name: "client_event",
          channel: "presence-w",
          event: "client-note",
          data: JSON.stringify({ text: "hi" }),
          socket_id: expect.stringMatching(/^\d+\.\d+$/),
          user_id: "ben",
        },
        { name: "member_removed", channel: "presence-w", user_id: "ben" },
      ]),
    );
    // ben leaving empties only the channel he was alone in; ann keeps presence-w occupied.
    expect(events.filter((e) => e.name === "channel_vacated").map((e) => e.channel)).toEqual(["private-solo"]);
    // Batching: events that happen close together share a POST.
    const perPost = hook.accepted().map((d) => (JSON.parse(d.rawBody) as { events: unknown[] }).events.length);
    expect(Math.max(...perPost)).toBeGreaterThan(1);
    expect(perPost.length).toBeLessThan(events.length);
  });

  it("retries a failing receiver with backoff until it accepts the same signed body", async () => {
    const hook = await receiver([500, 503]);
    const server = await startServer({ apps: [{ ...APP, webhookUrl: hook.url }], webhookBatchMs: 50, webhookRetryBaseMs: 50 });
    const c = client(server.port);
    await subscribe(c, "retry-me");
    await waitUntil(() => hook.accepted().length === 1, "a delivery accepted");
    expect(hook.deliveries.map((d) => d.status)).toEqual([500, 503, 200]);
    // Every attempt carried the identical body and signature.
    expect(new Set(hook.deliveries.map((d) => d.rawBody)).size).toBe(1);
    expect(new Set(hook.deliveries.map((d) => d.headers["x-pusher-signature"])).size).toBe(1);
    expect(hook.events()).toEqual([{ name: "channel_occupied", channel: "retry-me" }]);
  });

  it("gives up on a receiver that rejects the request outright (4xx)", async () => {
    const hook = await receiver([400]);
    const server = await startServer({ apps: [{ ...APP, webhookUrl: hook.url }], webhookBatchMs: 50, webhookRetryBaseMs: 50 });
    const c = client(server.port);
    await subscribe(c, "first");
    await waitUntil(() => hook.deliveries.length === 1, "the rejected delivery");
    await subscribe(c, "second");
    await waitUntil(() => hook.accepted().length === 1, "the next batch");
    expect(hook.events()).toEqual([{ name: "channel_occupied", channel: "second" }]);
  });

  it("flushes pending events, including the vacated channels of the shutdown, on close()", async () => {
    const hook = await receiver();
    // A batch window far longer than the test: only close() can get these out.
    const server = await startServer({ apps: [{ ...APP, webhookUrl: hook.url }], webhookBatchMs: 60_000 });
    const c = client(server.port);
    await subscribe(c, "closing-time");
    await server.close();
    expect(hook.events()).toEqual([
      { name: "channel_occupied", channel: "closing-time" },
      { name: "channel_vacated", channel: "closing-time" },
    ]);
  });
});
