import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { APP, client, connected, errorCode, nextConnectionError, nextEvent, onCleanup, sdk, startServer, subscribe, waitUntil } from "./test-helpers";
import { WebhookDispatcher, type WebhookEvent } from "./webhooks";

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

/** A receiver that holds every request until `release()` (or `delayMs` passes), counting how many it holds at once. */
async function slowReceiver(delayMs: number | null) {
  let open = 0;
  let maxOpen = 0;
  let started = 0;
  const held: (() => void)[] = [];
  const bodies: string[] = [];
  const http = createServer((req, res) => {
    started++;
    open++;
    maxOpen = Math.max(maxOpen, open);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = () => {
        bodies.push(Buffer.concat(chunks).toString("utf8"));
        open--;
        res.writeHead(200).end();
      };
      if (delayMs === null) held.push(answer);
      else setTimeout(answer, delayMs);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  onCleanup(() => {
    for (const answer of held.splice(0)) answer();
    http.closeAllConnections();
    return new Promise((resolve) => http.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`,
    get started() { return started; },
    get maxOpen() { return maxOpen; },
    get held() { return held.length; },
    release: () => held.splice(0).forEach((answer) => answer()),
    channels: () => bodies.map((b) => (JSON.parse(b) as { events: WebhookEventBody[] }).events.map((e) => e.channel)),
  };
}

describe("floods", () => {
  it("a subscribe/unsubscribe flood earns 4301, webhook POSTs stay at 4 at once, and a bystander loses nothing", async () => {
    const hook = await slowReceiver(500);
    const server = await startServer({ apps: [{ ...APP, webhookUrl: hook.url }], webhookBatchMs: 5 });
    const bystander = client(server.port);
    const { channel } = await subscribe(bystander, "news");
    const got: number[] = [];
    channel.bind("item", (d: { n: number }) => got.push(d.n));

    const flooder = client(server.port);
    await connected(flooder);
    const limited = nextConnectionError(flooder, (e) => errorCode(e) === 4301);
    let flooding = true;
    const flood = (async () => {
      // Each cycle occupies and vacates a channel: two webhook events, if the frames get through.
      for (let i = 0; flooding; ) {
        for (let k = 0; k < 20; k++, i++) {
          flooder.send_event("pusher:subscribe", { channel: `flood-${i}` });
          flooder.send_event("pusher:unsubscribe", { channel: `flood-${i}` });
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const api = sdk(server.port);
    for (let n = 1; n <= 100; n++) await api.trigger("news", "item", { n });
    await limited;
    // Enough POSTs that, uncapped, many more than four would have been open together.
    await waitUntil(() => hook.started >= 12, "the receiver kept busy by the flood", 20_000);
    flooding = false;
    await flood;

    await waitUntil(() => got.length >= 100, "every event reached the bystander");
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(bystander.connection.state).toBe("connected");
    expect(hook.maxOpen).toBe(4);
  }, 60_000);

  it("a receiver that stops answering: the backlog keeps the newest batches, drops the oldest and says so", async () => {
    const hook = await slowReceiver(null);
    const warnings: { msg: string; data?: Record<string, unknown> }[] = [];
    const hooks = new WebhookDispatcher({
      url: hook.url, key: APP.key, secret: APP.secret, batchMs: 60_000, maxAttempts: 1, retryBaseMs: 10, maxInFlight: 1, maxQueuedBatches: 2,
      logger: (level, msg, data) => level === "warn" && warnings.push({ msg, data }),
    });
    onCleanup(() => hooks.close());
    // 100 events make a full batch, posted (or queued) at once: five batches, b0 … b4.
    const batch = (b: number) => { for (let i = 0; i < 100; i++) hooks.enqueue({ name: "channel_occupied", channel: `b${b}` } satisfies WebhookEvent); };
    for (let b = 0; b < 5; b++) batch(b);
    await waitUntil(() => hook.held === 1, "the first POST held by the receiver");
    expect(hooks.postsInFlight).toBe(1);
    expect(warnings).toEqual([{ msg: "webhook backlog full: dropped the oldest batches", data: expect.objectContaining({ batches: 1, events: 100 }) }]);

    hook.release();
    await waitUntil(() => hook.held === 1 && hook.started === 2, "the next POST");
    hook.release();
    await waitUntil(() => hook.held === 1 && hook.started === 3, "the last POST");
    hook.release();
    await hooks.flush();
    // b0 was under way; b1 and b2 were dropped as b3 and b4 arrived.
    expect(hook.channels().map((cs) => [...new Set(cs)])).toEqual([["b0"], ["b3"], ["b4"]]);
  });
});
