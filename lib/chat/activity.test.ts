/**
 * The desk's chat list follows messages through "chat.activity" on the brand channel: each
 * event carries the chats' new lines, heard here by pusher-js from the built-in server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "pusher-js";
import { client, subscribe, withTimeout, startAppRealtime } from "@/lib/realtime/server/test-helpers";
import type { ChatActivity, ChatListItem, ChatStatus } from "@/lib/chat/types";

// The app reads its realtime configuration once, when its modules load: the server comes first.
const realtime = await startAppRealtime();
const { db } = await import("@/lib/db");
const { seedDemo } = await import("@/lib/seed/demo");
const { loadCurrentUser } = await import("@/lib/auth/current-user");
const { setAgentStatus } = await import("@/lib/users/profile");
const { startChat, visitorSend, visitorSession } = await import("@/lib/chat/visitor");
const { agentSeen, chatOverview, resolveChat } = await import("@/lib/chat/agent");
const { applyChatChange, CHAT_LIST_LIMIT } = await import("@/lib/chat/list-order");
const { noteActivity } = await import("@/lib/chat/events");
const { brandChannel } = await import("@/lib/realtime/channels");

type Activity = { brandId: string; chatIds: number[]; chats: ChatActivity[] };
type Changed = { chatId: number; brandId: string; status: ChatStatus; line?: ChatListItem | null };
const meta = { ip: null, userAgent: "Mozilla/5.0" };
let brandId = "";
let agent: NonNullable<Awaited<ReturnType<typeof loadCurrentUser>>>;
let topicId = "";

/** Events of one name on the channel from now on, until `done` says enough. */
function collect<E = Activity>(channel: Channel, done: (events: E[]) => boolean, name = "chat.activity"): Promise<E[]> {
  const events: E[] = [];
  return withTimeout(
    new Promise((resolve) => {
      const on = (e: E) => {
        events.push(e);
        if (done(events)) {
          channel.unbind(name, on);
          resolve(events);
        }
      };
      channel.bind(name, on);
    }),
    name,
  );
}

async function start(message: string) {
  const s = await visitorSession(db, { brand: "actco" }, meta);
  const chat = await startChat(db, { token: s.token, name: "Defne", message }, meta);
  return { token: s.token, chat };
}

beforeAll(async () => {
  await seedDemo(db);
  brandId = (await db.brand.create({ data: { slug: "actco", name: "ActCo" }, select: { id: true } })).id;
  const role = await db.role.findUniqueOrThrow({ where: { builtIn: "AGENT" }, select: { id: true } });
  const group = await db.group.create({ data: { name: "ActCo desk", brands: { create: { brandId } } }, select: { id: true } });
  const u = await db.user.create({ data: { email: "agent@actco.test", name: "Ada", roleId: role.id, chatCapacity: 50, groups: { create: { groupId: group.id } } }, select: { id: true, sessionVersion: true } });
  await setAgentStatus(db, u.id, "ONLINE");
  agent = (await loadCurrentUser(db, u.id, u.sessionVersion))!;
  topicId = (await db.topic.create({ data: { name: "Kargo", brandId }, select: { id: true } })).id;
});
afterAll(() => realtime.close());

describe("chat.activity (C4)", () => {
  it("carries the chat's new list line: the latest message and what no agent has seen yet", async () => {
    const { token, chat } = await start("Hello");
    const desk = client(realtime.port);
    const { channel } = await subscribe(desk, brandChannel(brandId));

    let heard = collect(channel, (es) => es.some((e) => e.chats.some((l) => l.id === chat.id && l.lastMessage === "Kargom nerede?")));
    const sent = await visitorSend(db, { token, chatId: chat.id, body: "Kargom nerede?" });
    const line = (await heard).flatMap((e) => e.chats).find((l) => l.id === chat.id && l.lastMessage === "Kargom nerede?")!;
    expect(line).toEqual({ id: chat.id, lastMessage: "Kargom nerede?", lastMessageAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), unread: 2 });

    // The agent reads them: the line says nothing is unread any more.
    heard = collect(channel, (es) => es.some((e) => e.chats.some((l) => l.id === chat.id && l.unread === 0)));
    await agentSeen(db, agent, { id: chat.id, upToId: sent.id });
    expect((await heard).flatMap((e) => e.chats).find((l) => l.id === chat.id && l.unread === 0)).toMatchObject({ lastMessage: "Kargom nerede?" });
  });

  it("splits many long lines over several events, each under the protocol's 10 KB, together naming every chat", async () => {
    const long = "Siparişim hâlâ gelmedi, lütfen yardımcı olur musunuz? ".repeat(6);
    const chats = [];
    for (let i = 0; i < 40; i++) chats.push((await start(`${i} ${long}`)).chat.id);
    const desk = client(realtime.port);
    const { channel } = await subscribe(desk, brandChannel(brandId));
    const all = new Set(chats);
    const heard = collect(channel, (es) => [...all].every((id) => es.some((e) => e.chatIds.includes(id))));
    for (const id of chats) noteActivity(db, id, brandId);
    const events = await heard;
    expect(events.length).toBeGreaterThan(1);
    for (const e of events) {
      expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThan(10_000);
      expect(e.chats.map((l) => l.id)).toEqual(e.chatIds);
    }
    const lines = events.flatMap((e) => e.chats).filter((l) => all.has(l.id));
    expect(lines).toHaveLength(40);
    expect(lines.every((l) => l.lastMessage!.length === 200 && l.unread === 1)).toBe(true);
  });

  it("chat.changed carries the chat's new list line, and a desk list patched with it equals the list fetched afresh: a chat given to an agent, one waiting in the queue, one resolved", async () => {
    const desk = client(realtime.port);
    const { channel } = await subscribe(desk, brandChannel(brandId));
    let list = await chatOverview(db, agent, { brandId });
    const patch = (events: Changed[]) => {
      for (const e of events) list = applyChatChange(list, e, CHAT_LIST_LIMIT)!;
    };
    const fetched = () => chatOverview(db, agent, { brandId });

    // Started while Ada is Online: given to her at once.
    let heard = collect<Changed>(channel, (es) => es.some((e) => e.status === "ACTIVE"), "chat.changed");
    const given = (await start("Merhaba")).chat;
    let events = await heard;
    expect(events.find((e) => e.status === "ACTIVE")).toMatchObject({ chatId: given.id, line: { id: given.id, status: "ACTIVE", assignee: { id: agent.id, name: "Ada" }, lastMessage: "Merhaba", unread: 1 } });
    patch(events);
    expect(list).toEqual(await fetched());

    // Started while she is on a break: it waits in the queue.
    await setAgentStatus(db, agent.id, "BREAK");
    list = await fetched(); // as a desk does on "agent.status"
    heard = collect<Changed>(channel, (es) => es.some((e) => e.status === "QUEUED"), "chat.changed");
    const waiting = (await start("Sırada mıyım?")).chat;
    events = await heard;
    expect(events.find((e) => e.status === "QUEUED")).toMatchObject({ chatId: waiting.id, line: { status: "QUEUED", assignee: null } });
    patch(events);
    expect(list).toEqual(await fetched());
    expect(list.queue).toBe(1);

    // Resolved: it leaves the list (line null).
    heard = collect<Changed>(channel, (es) => es.some((e) => e.chatId === given.id && e.status === "RESOLVED"), "chat.changed");
    await resolveChat(db, agent, { id: given.id, topicId });
    events = await heard;
    expect(events.find((e) => e.chatId === given.id && e.status === "RESOLVED")!.line).toBeNull();
    patch(events);
    expect(list).toEqual(await fetched());
    expect(list.chats.some((c) => c.id === given.id)).toBe(false);
    await setAgentStatus(db, agent.id, "ONLINE");
  });
});
