/**
 * The desk's chat list follows messages through "chat.activity" on the brand channel: each
 * event carries the chats' new lines, heard here by pusher-js from the built-in server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "pusher-js";
import { startRealtimeServer } from "@/lib/realtime/server";
import { APP, client, subscribe, withTimeout } from "@/lib/realtime/server/test-helpers";
import type { ChatActivity } from "@/lib/chat/types";

// The app reads its realtime configuration once, when its modules load: the server comes first.
const realtime = await startRealtimeServer({ host: "127.0.0.1", port: 0, apps: [APP], logger: () => undefined });
Object.assign(process.env, { PUSHER_APP_ID: APP.id, PUSHER_KEY: APP.key, PUSHER_SECRET: APP.secret, PUSHER_HOST: "127.0.0.1", PUSHER_PORT: String(realtime.port) });
const { db } = await import("@/lib/db");
const { seedDemo } = await import("@/lib/seed/demo");
const { loadCurrentUser } = await import("@/lib/auth/current-user");
const { setAgentStatus } = await import("@/lib/users/profile");
const { startChat, visitorSend, visitorSession } = await import("@/lib/chat/visitor");
const { agentSeen } = await import("@/lib/chat/agent");
const { noteActivity } = await import("@/lib/chat/events");
const { brandChannel } = await import("@/lib/realtime/channels");

type Activity = { brandId: string; chatIds: number[]; chats: ChatActivity[] };
const meta = { ip: null, userAgent: "Mozilla/5.0" };
let brandId = "";
let agent: NonNullable<Awaited<ReturnType<typeof loadCurrentUser>>>;

/** Events on the channel from now on, until `done` says enough. */
function collect(channel: Channel, done: (events: Activity[]) => boolean): Promise<Activity[]> {
  const events: Activity[] = [];
  return withTimeout(
    new Promise((resolve) => {
      const on = (e: Activity) => {
        events.push(e);
        if (done(events)) {
          channel.unbind("chat.activity", on);
          resolve(events);
        }
      };
      channel.bind("chat.activity", on);
    }),
    "chat.activity",
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
});
