import type { Members, PresenceChannel } from "pusher-js";
import { describe, expect, it } from "vitest";
import {
  client,
  connected,
  errorCode,
  nextConnectionError,
  nextEvent,
  sdk,
  startServer,
  subscribe,
  waitUntil,
  withTimeout,
} from "./test-helpers";

function subscriptionError(c: ReturnType<typeof client>, name: string): Promise<{ type: string; error: string; status: number }> {
  const channel = c.subscribe(name);
  return withTimeout(
    new Promise((resolve, reject) => {
      channel.bind("pusher:subscription_error", resolve);
      channel.bind("pusher:subscription_succeeded", () => reject(new Error(`${name} was accepted`)));
    }),
    `subscription error on ${name}`,
  );
}

/** The subscription_error frame for a channel, as the connection sees it (no Channel object needed). */
function rawSubscriptionError(c: ReturnType<typeof client>, name: string): Promise<{ status: number }> {
  return withTimeout(
    new Promise((resolve) =>
      c.connection.bind("message", (m: { event: string; channel?: string; data: { status: number } }) => {
        if (m.event === "pusher:subscription_error" && m.channel === name) resolve(m.data);
      }),
    ),
    `subscription error on ${name}`,
  );
}

function memberIds(members: Members): string[] {
  const ids: string[] = [];
  members.each((m: { id: string }) => ids.push(m.id));
  return ids.sort();
}

describe("subscriptions", () => {
  it("delivers server events on public and private channels", async () => {
    const server = await startServer();
    const c = client(server.port);
    const [{ channel: pub }, { channel: priv }] = await Promise.all([subscribe(c, "lobby"), subscribe(c, "private-team")]);
    const gotPub = nextEvent(pub, "hello");
    const gotPriv = nextEvent(priv, "secret");
    await sdk(server.port).trigger(["lobby", "private-team"], "hello", { to: "everyone" });
    await sdk(server.port).trigger("private-team", "secret", { to: "team" });
    expect((await gotPub).data).toEqual({ to: "everyone" });
    expect((await gotPriv).data).toEqual({ to: "team" });
  });

  it("refuses private and presence channels whose auth was forged, with 4009", async () => {
    const server = await startServer();
    const forger = client(server.port, { authSecret: "not-the-secret", user: { user_id: "mallory" } });
    await connected(forger);
    const connErr = nextConnectionError(forger, (e) => errorCode(e) === 4009);
    const err = await subscriptionError(forger, "private-payroll");
    expect(err.status).toBe(401);
    expect(await connErr).toBeTruthy();
    expect((await subscriptionError(forger, "presence-board")).status).toBe(401);

    // Nothing published there reaches the forger; a public channel proves delivery works.
    const { channel: open } = await subscribe(forger, "public-news");
    let leaked = 0;
    forger.channel("private-payroll").bind("salary", () => leaked++);
    const marker = nextEvent(open, "marker");
    await sdk(server.port).trigger("private-payroll", "salary", { amount: 1 });
    await sdk(server.port).trigger("public-news", "marker", {});
    await marker;
    expect(leaked).toBe(0);
    expect(server.stats().channels).toBe(1);
  });

  it("refuses a valid signature replayed on another socket", async () => {
    const server = await startServer();
    const victim = client(server.port);
    const victimId = await connected(victim);
    const attacker = client(server.port);
    await connected(attacker);
    const stolen = sdk(server.port).authorizeChannel(victimId, "private-victim");
    const refused = rawSubscriptionError(attacker, "private-victim");
    attacker.send_event("pusher:subscribe", { channel: "private-victim", auth: stolen.auth });
    expect((await refused).status).toBe(401);
    expect(server.stats().channels).toBe(0);
  });

  it("refuses presence channel_data that differs from what was signed", async () => {
    const server = await startServer();
    const c = client(server.port);
    const socketId = await connected(c);
    const signed = sdk(server.port).authorizeChannel(socketId, "presence-room", { user_id: "alice" });
    const refused = rawSubscriptionError(c, "presence-room");
    c.send_event("pusher:subscribe", { channel: "presence-room", auth: signed.auth, channel_data: JSON.stringify({ user_id: "admin" }) });
    expect((await refused).status).toBe(401);
    expect(server.stats().channels).toBe(0);
  });

  it("stops delivering after unsubscribe", async () => {
    const server = await startServer();
    const c = client(server.port);
    const { channel } = await subscribe(c, "feed");
    const { channel: control } = await subscribe(c, "control");
    c.unsubscribe("feed");
    await waitUntil(() => server.stats().channels === 1, "feed vacated");
    let got = 0;
    channel.bind("item", () => got++);
    const marker = nextEvent(control, "marker");
    await sdk(server.port).trigger("feed", "item", {});
    await sdk(server.port).trigger("control", "marker", {});
    await marker;
    expect(got).toBe(0);
  });
});

describe("presence", () => {
  it("lists members on subscribe and announces arrivals and departures", async () => {
    const server = await startServer();
    const alice = client(server.port, { user: { user_id: "alice", user_info: { name: "Alice" } } });
    const { channel: aliceChannel, data } = await subscribe(alice, "presence-ticket-1");
    const aliceMembers = data as Members;
    expect(memberIds(aliceMembers)).toEqual(["alice"]);
    expect(aliceMembers.me).toEqual({ id: "alice", info: { name: "Alice" } });

    const added = nextEvent<{ id: string; info: unknown }>(aliceChannel, "pusher:member_added");
    const bob = client(server.port, { user: { user_id: "bob", user_info: { name: "Bob" } } });
    const { data: bobData } = await subscribe(bob, "presence-ticket-1");
    expect(memberIds(bobData as Members)).toEqual(["alice", "bob"]);
    expect((bobData as Members).get("alice")).toEqual({ id: "alice", info: { name: "Alice" } });
    expect((await added).data).toEqual({ id: "bob", info: { name: "Bob" } });
    expect((aliceChannel as PresenceChannel).members.count).toBe(2);

    const removed = nextEvent<{ id: string }>(aliceChannel, "pusher:member_removed");
    bob.disconnect();
    expect((await removed).data.id).toBe("bob");
    expect(memberIds((aliceChannel as PresenceChannel).members)).toEqual(["alice"]);
  });

  it("counts a user with two tabs as one member until the last tab leaves", async () => {
    const server = await startServer();
    const watcher = client(server.port, { user: { user_id: "watcher" } });
    const { channel } = await subscribe(watcher, "presence-desk");
    const events: string[] = [];
    channel.bind("pusher:member_added", (m: { id: string }) => events.push(`added:${m.id}`));
    channel.bind("pusher:member_removed", (m: { id: string }) => events.push(`removed:${m.id}`));

    const tab1 = client(server.port, { user: { user_id: "carol" } });
    await subscribe(tab1, "presence-desk");
    await waitUntil(() => events.includes("added:carol"), "carol added");
    const tab2 = client(server.port, { user: { user_id: "carol" } });
    const { data } = await subscribe(tab2, "presence-desk");
    expect((data as Members).count).toBe(2);

    const users = async () => ((await (await sdk(server.port).get({ path: "/channels/presence-desk/users" })).json()) as { users: { id: string }[] }).users;
    expect((await users()).map((u) => u.id).sort()).toEqual(["carol", "watcher"]);

    tab1.disconnect();
    await waitUntil(async () => (await users()).length === 2 && server.stats().connections === 2, "tab1 gone");
    expect(events).toEqual(["added:carol"]);
    expect((channel as PresenceChannel).members.count).toBe(2);

    tab2.disconnect();
    await waitUntil(() => events.includes("removed:carol"), "carol removed");
    expect(events).toEqual(["added:carol", "removed:carol"]);
  });
});

describe("client events", () => {
  it("relays to other subscribers, never back to the sender", async () => {
    const server = await startServer();
    const a = client(server.port);
    const b = client(server.port);
    const [{ channel: chA }, { channel: chB }] = await Promise.all([subscribe(a, "private-chat-1"), subscribe(b, "private-chat-1")]);
    let echoed = 0;
    chA.bind("client-typing", () => echoed++);
    const got = nextEvent(chB, "client-typing");
    chA.trigger("client-typing", { typing: true });
    expect((await got).data).toEqual({ typing: true });

    // Frames to one socket arrive in order: once A sees a later server event, an echo would have come first.
    const marker = nextEvent(chA, "marker");
    await sdk(server.port).trigger("private-chat-1", "marker", {});
    await marker;
    expect(echoed).toBe(0);
  });

  it("carries the sender's user_id on presence channels", async () => {
    const server = await startServer();
    const a = client(server.port, { user: { user_id: "agent-7" } });
    const b = client(server.port, { user: { user_id: "agent-9" } });
    const [{ channel: chA }, { channel: chB }] = await Promise.all([subscribe(a, "presence-t-5"), subscribe(b, "presence-t-5")]);
    const got = nextEvent(chB, "client-viewing");
    chA.trigger("client-viewing", { field: "reply" });
    const { data, metadata } = await got;
    expect(data).toEqual({ field: "reply" });
    expect(metadata.user_id).toBe("agent-7");
  });

  it("rejects client events on public channels and on channels not subscribed", async () => {
    const server = await startServer();
    const a = client(server.port);
    const b = client(server.port);
    const [{ channel: pubA }, { channel: pubB }] = await Promise.all([subscribe(a, "public-room"), subscribe(b, "public-room")]);
    const { channel: privB } = await subscribe(b, "private-elsewhere");
    let leaked = 0;
    pubB.bind("client-spam", () => leaked++);
    privB.bind("client-spam", () => leaked++);

    const rejectedPublic = nextConnectionError(a, (e) => /private and presence/.test(e.data?.message ?? ""));
    pubA.trigger("client-spam", {});
    await rejectedPublic;
    const rejectedUnsubscribed = nextConnectionError(a, (e) => /not subscribed/.test(e.data?.message ?? ""));
    a.send_event("client-spam", {}, "private-elsewhere");
    await rejectedUnsubscribed;

    const marker = nextEvent(pubB, "marker");
    await sdk(server.port).trigger("public-room", "marker", {});
    await marker;
    expect(leaked).toBe(0);
  });

  it("rate limits a chatty socket with pusher:error 4301", async () => {
    const server = await startServer({ clientEventRateLimit: 10 });
    const a = client(server.port);
    const b = client(server.port);
    const [{ channel: chA }, { channel: chB }] = await Promise.all([subscribe(a, "private-flood"), subscribe(b, "private-flood")]);
    let received = 0;
    chB.bind("client-burst", () => received++);
    const limited = nextConnectionError(a, (e) => errorCode(e) === 4301);
    for (let i = 0; i < 50; i++) chA.trigger("client-burst", { i });
    expect((await limited).data?.message).toMatch(/rate limit/);

    const marker = nextEvent(chB, "marker");
    await sdk(server.port).trigger("private-flood", "marker", {});
    await marker;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(50);
    // The socket stays usable: the limit throttles, it does not disconnect.
    expect(a.connection.state).toBe("connected");
  });
});

describe("user sign-in", () => {
  it("delivers sendToUser to a signed-in user and terminates their connections on request", async () => {
    const server = await startServer();
    const c = client(server.port, { user: { user_id: "u-42", user_info: { name: "Dana" } } });
    await connected(c);
    c.signin();
    await waitUntil(() => server.stats().channels === 1, "server-to-user channel");
    const got = withTimeout(new Promise((resolve) => c.user.bind("ping-user", resolve)), "user event");
    await sdk(server.port).sendToUser("u-42", "ping-user", { hi: 1 });
    expect(await got).toEqual({ hi: 1 });

    const terminated = nextConnectionError(c, (e) => errorCode(e) === 4009);
    await sdk(server.port).terminateUserConnections("u-42");
    await terminated;
    await waitUntil(() => server.stats().connections === 0, "connection closed");
  });
});
