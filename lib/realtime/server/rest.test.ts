import type PusherServer from "pusher";
import { describe, expect, it, vi } from "vitest";
import { APP, client, connected, nextEvent, sdk, startServer, subscribe, waitUntil } from "./test-helpers";

/** What the SDK rejects with when the server answers >= 400. */
interface RequestError {
  status: number;
  body: string;
}

async function failure(p: Promise<unknown>): Promise<RequestError> {
  try {
    await p;
  } catch (e) {
    return e as RequestError;
  }
  throw new Error("request unexpectedly succeeded");
}

async function json<T>(p: Promise<{ json(): Promise<unknown> }>): Promise<T> {
  return (await (await p).json()) as T;
}

/** A signed POST /events with any body; the SDK's typings say string, but it JSON-encodes whatever it gets. */
function postEvents(api: PusherServer, body: unknown) {
  return api.post({ path: "/events", body: body as string });
}

/** Signs like the SDK does but lets the test choose the clock or swap the body after signing. */
function handSigned(
  port: number,
  api: PusherServer,
  opts: { path: string; body: string; signedAt?: number; sentBody?: string },
): Promise<Response> {
  const spy = opts.signedAt === undefined ? undefined : vi.spyOn(Date, "now").mockReturnValue(opts.signedAt);
  const query = api.createSignedQueryString({ method: "POST", path: opts.path, body: opts.body });
  spy?.mockRestore();
  return fetch(`http://127.0.0.1:${port}${opts.path}?${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: opts.sentBody ?? opts.body,
  });
}

describe("triggering events", () => {
  it("delivers an SDK trigger to every listed channel, data intact", async () => {
    const server = await startServer();
    const c = client(server.port);
    const [{ channel: a }, { channel: b }] = await Promise.all([subscribe(c, "brand-1"), subscribe(c, "private-brand-2")]);
    const gotA = nextEvent(a, "ticket.updated");
    const gotB = nextEvent(b, "ticket.updated");
    const payload = { id: 7, fields: ["status"], text: "naïve ünïcode ✓" };
    const res = await sdk(server.port).trigger(["brand-1", "private-brand-2"], "ticket.updated", payload);
    expect(await res.json()).toEqual({});
    expect((await gotA).data).toEqual(payload);
    expect((await gotB).data).toEqual(payload);
  });

  it("does not send the event back to the socket named in socket_id", async () => {
    const server = await startServer();
    const author = client(server.port);
    const other = client(server.port);
    const [{ channel: mine }, { channel: theirs }] = await Promise.all([subscribe(author, "room"), subscribe(other, "room")]);
    let selfDelivered = 0;
    mine.bind("edited", () => selfDelivered++);
    const got = nextEvent(theirs, "edited");
    await sdk(server.port).trigger("room", "edited", { v: 2 }, { socket_id: author.connection.socket_id });
    expect((await got).data).toEqual({ v: 2 });

    const marker = nextEvent(mine, "marker");
    await sdk(server.port).trigger("room", "marker", {});
    await marker;
    expect(selfDelivered).toBe(0);
  });

  it("reports channel counts when asked with info", async () => {
    const server = await startServer();
    const a = client(server.port, { user: { user_id: "a" } });
    const b = client(server.port, { user: { user_id: "b" } });
    await Promise.all([subscribe(a, "presence-x"), subscribe(b, "presence-x"), subscribe(a, "plain")]);
    const res = await sdk(server.port).trigger(["presence-x", "plain"], "e", {}, { info: "user_count,subscription_count" });
    expect(await res.json()).toEqual({
      channels: { "presence-x": { user_count: 2, subscription_count: 2 }, plain: { subscription_count: 1 } },
    });
  });

  it("accepts a batch of ten and answers {batch:[…]} when info is requested", async () => {
    const server = await startServer();
    const c = client(server.port);
    const { channel } = await subscribe(c, "batched");
    const seen: number[] = [];
    channel.bind("n", (d: { i: number }) => seen.push(d.i));
    const batch = Array.from({ length: 10 }, (_, i) => ({ channel: "batched", name: "n", data: { i }, info: "subscription_count" }));
    const res = await sdk(server.port).triggerBatch(batch);
    expect(await res.json()).toEqual({ batch: Array.from({ length: 10 }, () => ({ subscription_count: 1 })) });
    await waitUntil(() => seen.length === 10, "all ten events");
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await (await sdk(server.port).triggerBatch([{ channel: "batched", name: "n", data: { i: 10 } }])).json()).toEqual({});
  });
});

describe("request validation", () => {
  it("refuses a request signed with the wrong secret with 401, and delivers nothing", async () => {
    const server = await startServer();
    const c = client(server.port);
    const { channel } = await subscribe(c, "guarded");
    let got = 0;
    channel.bind("evil", () => got++);
    const err = await failure(sdk(server.port, { ...APP, secret: "wrong-secret" }).trigger("guarded", "evil", {}));
    expect(err.status).toBe(401);
    expect(err.body).toMatch(/Invalid signature/);

    const marker = nextEvent(channel, "marker");
    await sdk(server.port).trigger("guarded", "marker", {});
    await marker;
    expect(got).toBe(0);
  });

  it("refuses a correctly signed request whose timestamp is more than 600 s old", async () => {
    const server = await startServer();
    const api = sdk(server.port);
    const body = JSON.stringify({ name: "late", data: "{}", channels: ["c"] });
    const stale = await handSigned(server.port, api, { path: `/apps/${APP.id}/events`, body, signedAt: Date.now() - 601_000 });
    expect(stale.status).toBe(401);
    expect(await stale.text()).toMatch(/Timestamp expired/);
    const fresh = await handSigned(server.port, api, { path: `/apps/${APP.id}/events`, body, signedAt: Date.now() - 60_000 });
    expect(fresh.status).toBe(200);
  });

  it("refuses a body that is not the one signed (body_md5)", async () => {
    const server = await startServer();
    const api = sdk(server.port);
    const body = JSON.stringify({ name: "e", data: "{}", channels: ["c"] });
    const swapped = JSON.stringify({ name: "e", data: "{}", channels: ["other"] });
    const res = await handSigned(server.port, api, { path: `/apps/${APP.id}/events`, body, sentBody: swapped });
    expect(res.status).toBe(401);
  });

  it("answers 404 for an unknown app id", async () => {
    const server = await startServer();
    const err = await failure(sdk(server.port, { ...APP, id: "9999" }).trigger("c", "e", {}));
    expect(err.status).toBe(404);
  });

  it("refuses data over 10 KB with 413 and accepts exactly 10 KB", async () => {
    const server = await startServer();
    const api = sdk(server.port);
    const err = await failure(api.trigger("c", "big", "x".repeat(10 * 1024 + 1)));
    expect(err.status).toBe(413);
    const ok = await api.trigger("c", "big", "x".repeat(10 * 1024));
    expect(ok.status).toBe(200);
  });

  it("refuses more than 100 channels per event with 400", async () => {
    const server = await startServer();
    const api = sdk(server.port);
    const channels = Array.from({ length: 101 }, (_, i) => `c-${i}`);
    // The SDK itself already refuses; a raw signed request shows the server enforces it too.
    expect(() => api.trigger(channels, "e", {})).toThrow(/100 channels/);
    const err = await failure(postEvents(api, { name: "e", data: "{}", channels }));
    expect(err.status).toBe(400);
    expect(err.body).toMatch(/Too many channels/);
    const ok = await postEvents(api, { name: "e", data: "{}", channels: channels.slice(0, 100) });
    expect(ok.status).toBe(200);
  });

  it("refuses a batch of more than 10 events with 400, publishing none of it", async () => {
    const server = await startServer();
    const c = client(server.port);
    const { channel } = await subscribe(c, "batch-guard");
    let got = 0;
    channel.bind("n", () => got++);
    const batch = Array.from({ length: 11 }, (_, i) => ({ channel: "batch-guard", name: "n", data: { i } }));
    const err = await failure(sdk(server.port).triggerBatch(batch));
    expect(err.status).toBe(400);

    const marker = nextEvent(channel, "marker");
    await sdk(server.port).trigger("batch-guard", "marker", {});
    await marker;
    expect(got).toBe(0);
  });

  it("refuses malformed events: reserved names, bad channel names, bad socket ids, non-object bodies", async () => {
    const server = await startServer();
    const api = sdk(server.port);
    const bad = [
      { name: "pusher:connection_established", data: "{}", channels: ["c"] },
      { name: "e", data: "{}", channels: ["bad channel!"] },
      { name: "e", data: "{}", channels: [] },
      { name: "e", data: { not: "a string" }, channels: ["c"] },
      { name: "e", data: "{}", channels: ["c"], socket_id: "abc" },
      { name: "", data: "{}", channels: ["c"] },
    ];
    for (const body of bad) expect((await failure(postEvents(api, body))).status).toBe(400);
    expect((await failure(postEvents(api, ["not", "an", "object"]))).status).toBe(400);
  });
});

describe("channel queries", () => {
  it("lists occupied channels, filtered by prefix, with presence user counts", async () => {
    const server = await startServer();
    const a = client(server.port, { user: { user_id: "a" } });
    const b = client(server.port, { user: { user_id: "b" } });
    await Promise.all([
      subscribe(a, "presence-t-1"),
      subscribe(b, "presence-t-1"),
      subscribe(a, "presence-t-2"),
      subscribe(a, "private-brand-1"),
      subscribe(b, "news"),
    ]);
    const api = sdk(server.port);
    expect(await json(api.get({ path: "/channels" }))).toEqual({
      channels: { "presence-t-1": {}, "presence-t-2": {}, "private-brand-1": {}, news: {} },
    });
    expect(await json(api.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } }))).toEqual({
      channels: { "presence-t-1": { user_count: 2 }, "presence-t-2": { user_count: 1 } },
    });
    expect((await failure(api.get({ path: "/channels", params: { info: "user_count" } }))).status).toBe(400);

    b.disconnect();
    await waitUntil(async () => {
      const list = await json<{ channels: Record<string, unknown> }>(api.get({ path: "/channels" }));
      return !("news" in list.channels);
    }, "news vacated");
  });

  it("describes one channel: occupied, user_count, subscription_count", async () => {
    const server = await startServer();
    const tab1 = client(server.port, { user: { user_id: "erin" } });
    const tab2 = client(server.port, { user: { user_id: "erin" } });
    const other = client(server.port, { user: { user_id: "frank" } });
    await Promise.all([subscribe(tab1, "presence-q"), subscribe(tab2, "presence-q"), subscribe(other, "presence-q")]);
    const api = sdk(server.port);
    expect(await json(api.get({ path: "/channels/presence-q", params: { info: "user_count,subscription_count" } }))).toEqual({
      occupied: true,
      user_count: 2,
      subscription_count: 3,
    });
    expect(await json(api.get({ path: "/channels/nobody-here" }))).toEqual({ occupied: false });
    expect(await json(api.get({ path: "/channels/nobody-here", params: { info: "subscription_count" } }))).toEqual({
      occupied: false,
      subscription_count: 0,
    });
    expect((await failure(api.get({ path: "/channels/plain", params: { info: "user_count" } }))).status).toBe(400);
  });

  it("lists the users of a presence channel, and only of presence channels", async () => {
    const server = await startServer();
    const a = client(server.port, { user: { user_id: "gina" } });
    const b = client(server.port, { user: { user_id: "hank" } });
    await Promise.all([subscribe(a, "presence-u"), subscribe(b, "presence-u"), connected(b)]);
    const api = sdk(server.port);
    const { users } = await json<{ users: { id: string }[] }>(api.get({ path: "/channels/presence-u/users" }));
    expect(users.map((u) => u.id).sort()).toEqual(["gina", "hank"]);
    expect((await failure(api.get({ path: "/channels/private-u/users" }))).status).toBe(400);
  });
});
