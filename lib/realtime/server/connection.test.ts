import net from "node:net";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { rawSocket } from "./raw-socket";
import {
  APP,
  client,
  connected,
  errorCode,
  errorMessage,
  nextConnectionError,
  nextEvent,
  onCleanup,
  sdk,
  startServer,
  subscribe,
  waitUntil,
  withTimeout,
} from "./test-helpers";

describe("connection handshake", () => {
  it("gives each pusher-js client its own socket id", async () => {
    const server = await startServer();
    const a = client(server.port);
    const b = client(server.port);
    const [idA, idB] = await Promise.all([connected(a), connected(b)]);
    expect(idA).toMatch(/^\d+\.\d+$/);
    expect(idB).toMatch(/^\d+\.\d+$/);
    expect(idA).not.toBe(idB);
    expect(server.stats().connections).toBe(2);
  });

  it("sends connection_established first, with string-encoded data and the activity timeout", async () => {
    const server = await startServer({ activityTimeoutSec: 30 });
    const sock = await rawSocket(server.port);
    const first = await sock.next(() => true, "first frame");
    expect(first.event).toBe("pusher:connection_established");
    expect(first.data).toEqual({ socket_id: expect.stringMatching(/^\d+\.\d+$/), activity_timeout: 30 });
  });

  it("refuses an unknown app key with 4001, and pusher-js does not retry", async () => {
    const server = await startServer();
    const c = client(server.port, { key: "no-such-key" });
    const error = await nextConnectionError(c, (e) => errorCode(e) === 4001);
    expect(errorMessage(error)).toContain("no-such-key");
    await waitUntil(() => c.connection.state === "disconnected", "client gives up");
    expect(server.stats().connections).toBe(0);
  });

  it("answers pusher:ping with pusher:pong", async () => {
    const server = await startServer();
    const c = client(server.port);
    await connected(c);
    const pong = withTimeout(
      new Promise<void>((resolve) => c.connection.bind("message", (m: { event: string }) => m.event === "pusher:pong" && resolve())),
      "pusher:pong",
    );
    c.send_event("pusher:ping", {});
    await pong;
  });

  it("keeps an idle pusher-js client connected across many ping rounds", async () => {
    const server = await startServer({ activityTimeoutSec: 0.2, pongTimeoutMs: 2000 });
    const c = client(server.port);
    const socketId = await connected(c);
    const { channel } = await subscribe(c, "idle-room");
    // Whichever side notices the silence first pings; both keep the connection alive.
    let rounds = 0;
    c.connection.bind("message", (m: { event: string }) => {
      if (m.event === "pusher:ping" || m.event === "pusher:pong") rounds++;
    });
    await waitUntil(() => rounds >= 3, "three ping rounds");
    const got = nextEvent(channel, "still-here");
    await sdk(server.port).trigger("idle-room", "still-here", { ok: true });
    expect((await got).data).toEqual({ ok: true });
    expect(c.connection.socket_id).toBe(socketId);
  });

  it("closes a pusher-js client whose pongs never arrive with 4201; pusher-js reconnects at once", async () => {
    const server = await startServer({ activityTimeoutSec: 0.2, pongTimeoutMs: 300 });
    // Its own pong timer is far longer than the server's, so the server is the side that notices.
    const c = client(server.port, { pongTimeout: 60_000 });
    const frozenId = await connected(c);
    // Like a tab frozen by the browser: it still hears frames but sends nothing, not even its pongs
    // (ConnectionManager answers pusher:ping through the current Connection's send).
    const live = (c.connection as unknown as { connection: { send(data: string): boolean } }).connection;
    let swallowed = 0;
    live.send = () => (swallowed++, true);
    const closed = nextConnectionError(c, (e) => typeof errorCode(e) === "number");
    expect(errorCode(await closed)).toBe(4201);
    expect(swallowed).toBeGreaterThan(0);
    // 42xx means "reconnect straight away": a fresh Connection, a new socket id, served again.
    await waitUntil(() => c.connection.state === "connected" && c.connection.socket_id !== frozenId, "reconnect");
    const { channel } = await subscribe(c, "thawed");
    const got = nextEvent(channel, "hello");
    await sdk(server.port).trigger("thawed", "hello", 1);
    expect((await got).data).toBe(1);
  });

  it("closes a raw socket that stops answering pings with 4201", async () => {
    const server = await startServer({ activityTimeoutSec: 0.2, pongTimeoutMs: 200 });
    const frozen = await rawSocket(server.port, { autoPong: false });
    await frozen.next((f) => f.event === "pusher:ping", "a server ping");
    expect((await withTimeout(frozen.closed, "close")).code).toBe(4201);
    await waitUntil(() => server.stats().connections === 0, "connection released");
  });
});

describe("robustness", () => {
  it("answers malformed frames with pusher:error and keeps serving everyone", async () => {
    const server = await startServer();
    const bystander = client(server.port);
    const { channel } = await subscribe(bystander, "news");
    const bad = await rawSocket(server.port);
    const garbage = [
      "not json",
      "[1,2,3]",
      "null",
      '{"event":42}',
      '{"data":{}}',
      '{"event":"pusher:subscribe","data":"{broken"}',
      '{"event":"pusher:subscribe","data":{"channel":"bad name!"}}',
      '{"event":"pusher:subscribe","data":{"channel":"private-x","auth":12}}',
      '{"event":"pusher:unsubscribe","data":7}',
      '{"event":"something-else","data":{}}',
      '{"event":"client-x","channel":42}',
    ];
    for (const g of garbage) bad.send(g);
    bad.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    await waitUntil(() => bad.frames.filter((f) => f.event === "pusher:error").length >= garbage.length, "an error per frame");
    expect(bad.ws.readyState).toBe(bad.ws.OPEN);

    const got = nextEvent(channel, "update");
    await sdk(server.port).trigger("news", "update", { n: 1 });
    expect((await got).data).toEqual({ n: 1 });
    // The same socket still works normally after all that.
    bad.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: "news" } }));
    await bad.next((f) => f.event === "pusher_internal:subscription_succeeded", "subscription after garbage");
  });

  it("rejects an oversize frame: pusher:error just above the limit, close 1009 far above it", async () => {
    const server = await startServer({ maxPayloadBytes: 10 * 1024 });
    const bystander = client(server.port);
    const { channel } = await subscribe(bystander, "calm");

    const slightly = await rawSocket(server.port);
    slightly.send(JSON.stringify({ event: "client-big", channel: "private-a", data: "x".repeat(10 * 1024 + 10) }));
    const err = await slightly.next((f) => f.event === "pusher:error", "size error");
    expect((err.data as { message: string }).message).toMatch(/exceeds/);
    expect(slightly.ws.readyState).toBe(slightly.ws.OPEN);

    const huge = await rawSocket(server.port);
    huge.send(JSON.stringify({ event: "client-big", channel: "private-a", data: "x".repeat(64 * 1024) }));
    expect((await withTimeout(huge.closed, "close")).code).toBe(1009);

    const got = nextEvent(channel, "after");
    await sdk(server.port).trigger("calm", "after", "fine");
    expect((await got).data).toBe("fine");
  });

  it("caps the channels one socket may subscribe to", async () => {
    const server = await startServer({ maxChannelsPerSocket: 100 });
    const c = client(server.port);
    await connected(c);
    await Promise.all(Array.from({ length: 100 }, (_, i) => subscribe(c, `room-${i}`)));
    const over = c.subscribe("room-100");
    const error = await withTimeout(
      new Promise<{ status: number }>((resolve) => over.bind("pusher:subscription_error", resolve)),
      "subscription error",
    );
    expect(error.status).toBe(429);
    expect(server.stats().channels).toBe(100);
  });
  it("drops a client that stops reading instead of buffering for it forever; others keep receiving", async () => {
    const server = await startServer({ maxBufferedBytes: 256 * 1024 });
    const healthy = client(server.port);
    const { channel } = await subscribe(healthy, "firehose");
    let healthyGot = 0;
    channel.bind("chunk", () => healthyGot++);

    // A WebSocket whose TCP socket we can stop reading from, like a frozen browser tab.
    let tcp: net.Socket | undefined;
    const stuck = new WebSocket(`ws://127.0.0.1:${server.port}/app/${APP.key}?protocol=7`, {
      createConnection: ((opts: net.NetConnectOpts) => (tcp = net.connect(opts))) as typeof net.createConnection,
    });
    stuck.on("error", () => undefined);
    onCleanup(() => stuck.terminate());
    const subscribed = withTimeout(
      new Promise<void>((resolve) =>
        stuck.on("message", (m) => String(m).includes("subscription_succeeded") && resolve()),
      ),
      "stuck client subscribed",
    );
    stuck.once("open", () => stuck.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: "firehose" } })));
    await subscribed;
    tcp!.pause();

    const api = sdk(server.port);
    const data = "x".repeat(10 * 1024);
    const batch = Array.from({ length: 10 }, () => ({ channel: "firehose", name: "chunk", data }));
    let sent = 0;
    // Enough to fill the kernel buffers on both ends and then our bound; stops as soon as it bites.
    while (server.stats().connections > 1 && sent < 100 * 1024 * 1024) {
      await api.triggerBatch(batch);
      sent += batch.length * data.length;
    }
    expect(server.stats().connections).toBe(1);

    const marker = nextEvent(channel, "marker");
    await api.trigger("firehose", "marker", {});
    await marker;
    expect(healthyGot * data.length).toBe(sent);
    expect(healthy.connection.state).toBe("connected");
  }, 60_000);
});

describe("restart", () => {
  it("closes sockets with 4200 on shutdown; pusher-js reconnects to the next server and resubscribes", async () => {
    const first = await startServer();
    const port = first.port;
    const c = client(port);
    const firstId = await connected(c);
    const { channel } = await subscribe(c, "private-inbox");
    const before = nextEvent(channel, "tick");
    await sdk(port).trigger("private-inbox", "tick", 1);
    expect((await before).data).toBe(1);

    const closeCode = nextConnectionError(c, (e) => typeof errorCode(e) === "number");
    await first.close();
    expect(errorCode(await closeCode)).toBe(4200);

    const second = await startServer({ port });
    // pusher-js retried at once and found nothing listening; it only tries again when its
    // 15 s connection-attempt timeout expires. It then re-authorises private channels with
    // its new socket id on its own.
    await waitUntil(() => c.connection.state === "connected" && c.connection.socket_id !== firstId, "reconnect", 40_000);
    await waitUntil(() => second.stats().channels === 1, "resubscription");
    const after = nextEvent(channel, "tick");
    await sdk(port).trigger("private-inbox", "tick", 2);
    expect((await after).data).toBe(2);
  }, 60_000);
});
