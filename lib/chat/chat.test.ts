import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { setAgentStatus } from "@/lib/users/profile";
import { startChat, visitorEnd, visitorSeen, visitorSend, visitorSession } from "@/lib/chat/visitor";
import { agentHeartbeat, agentSeen, agentSend, banVisitor, chatArchive, chatDetail, chatOverview, resolveChat, takeChat, transferChat } from "@/lib/chat/agent";
import { convertChat } from "@/lib/chat/convert";
import { runRelay } from "@/lib/chat/relay";
import { sweepAbsentAgents } from "@/lib/chat/presence-sweep";
import { signVisitorToken } from "@/lib/chat/visitor-token";
import { setSetting } from "@/lib/settings/service";
import { ingestRawMessage } from "@/lib/mail/ingest/ingest-message";
import { callTrpc, sessionCookie, startTrpcServer } from "@/lib/test/http";
import { POST as realtimeAuth } from "@/app/api/realtime/auth/route";

const meta = { ip: null, userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" };

let brandId = "";
let groupId = "";
let topicId = "";
let agents: CurrentUser[] = [];
let manager: CurrentUser;
let seq = 0;
let server: Awaited<ReturnType<typeof startTrpcServer>>;

async function current(email: string) {
  const u = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, sessionVersion: true } });
  return (await loadCurrentUser(db, u.id, u.sessionVersion))!;
}

async function visitor() {
  return visitorSession(db, { brand: "chatco" }, meta);
}

async function start(text = "Hello, I need help") {
  const s = await visitor();
  const chat = await startChat(db, { token: s.token, name: `Visitor ${++seq}`, email: `visitor${seq}@example.com`, message: text }, meta);
  return { token: s.token, chat };
}

const loads = async () => {
  const rows = await db.chat.groupBy({ by: ["assigneeId"], where: { brandId, status: "ACTIVE" }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.assigneeId, r._count._all]));
};

beforeAll(async () => {
  await seedDemo(db);
  // A brand of its own, so the seeded agents and chats never interfere with the counts.
  const brand = await db.brand.create({ data: { slug: "chatco", name: "ChatCo" }, select: { id: true } });
  brandId = brand.id;
  const role = await db.role.findUniqueOrThrow({ where: { builtIn: "AGENT" }, select: { id: true } });
  const group = await db.group.create({ data: { name: "Chat desk", brands: { create: { brandId } } }, select: { id: true } });
  groupId = group.id;
  for (let i = 1; i <= 5; i++) {
    await db.user.create({ data: { email: `agent${i}@chatco.test`, name: `Agent ${i}`, roleId: role.id, chatCapacity: 3, groups: { create: { groupId } } } });
  }
  const mgr = await db.user.findUniqueOrThrow({ where: { email: "manager@acme.test" }, select: { id: true } });
  await db.groupMember.create({ data: { groupId, userId: mgr.id } });
  topicId = (await db.topic.create({ data: { name: "Shipping question", brandId }, select: { id: true } })).id;
  agents = await Promise.all([1, 2, 3, 4, 5].map((i) => current(`agent${i}@chatco.test`)));
  manager = await current("manager@acme.test");
  server = await startTrpcServer();
});
afterAll(() => server?.close());

beforeEach(async () => {
  // Every test starts with an empty queue and everyone Offline.
  await db.chat.deleteMany({ where: { brandId } });
  await db.user.updateMany({ data: { agentStatus: "OFFLINE" } });
  await db.rateLimitBucket.deleteMany({});
});

const online = async (...users: CurrentUser[]) => {
  for (const u of users) await setAgentStatus(db, u.id, "ONLINE");
};

describe("queue and assignment (C3)", () => {
  it("50 concurrent chat starts against 5 online agents of capacity 3: exactly 15 assigned, 35 queued, nobody over capacity, no chat twice", async () => {
    await online(...agents);
    const sessions = await Promise.all(Array.from({ length: 50 }, () => visitor()));
    await Promise.all(sessions.map((s, i) => startChat(db, { token: s.token, name: `Racer ${i}`, message: `Chat ${i}` }, meta)));
    const chats = await db.chat.findMany({ where: { brandId }, select: { id: true, status: true, assigneeId: true } });
    expect(chats).toHaveLength(50);
    expect(chats.filter((c) => c.status === "ACTIVE")).toHaveLength(15);
    expect(chats.filter((c) => c.status === "QUEUED" && c.assigneeId === null)).toHaveLength(35);
    const perAgent = await loads();
    expect([...perAgent.values()]).toEqual([3, 3, 3, 3, 3]);
    // Each assigned chat was announced exactly once.
    const joins = await db.chatMessage.groupBy({ by: ["chatId"], where: { chat: { brandId }, kind: "SYSTEM", body: { endsWith: "joined the chat." } }, _count: { _all: true } });
    expect(joins).toHaveLength(15);
    expect(joins.every((j) => j._count._all === 1)).toBe(true);
  });

  it("resolving a chat gives the longest-waiting queued chat to that agent", async () => {
    await online(agents[0]!);
    const first = await start("one");
    const second = await start("two");
    const third = await start("three");
    const fourth = await start("four");
    expect((await db.chat.findUniqueOrThrow({ where: { id: fourth.chat.id } })).status).toBe("QUEUED");
    expect(fourth.chat.queuePosition).toBe(1);
    await resolveChat(db, agents[0]!, { id: second.chat.id, topicId });
    const next = await db.chat.findUniqueOrThrow({ where: { id: fourth.chat.id }, select: { status: true, assigneeId: true } });
    expect(next).toEqual({ status: "ACTIVE", assigneeId: agents[0]!.id });
    expect((await db.chat.findUniqueOrThrow({ where: { id: first.chat.id } })).assigneeId).toBe(agents[0]!.id);
    expect((await db.chat.findUniqueOrThrow({ where: { id: third.chat.id } })).assigneeId).toBe(agents[0]!.id);
  });

  it("the agent with the fewest active chats gets the next one, among equals whoever waited longest; a chat sent to a group waits for its members while the chats behind it move on", async () => {
    const billing = await db.group.create({ data: { name: "Billing desk", brands: { create: { brandId } }, members: { create: { userId: agents[2]!.id } } }, select: { id: true } });
    try {
      await online(agents[0]!, agents[1]!);
      const owner = async (c: { chat: { id: number } }) => (await db.chat.findUniqueOrThrow({ where: { id: c.chat.id }, select: { assigneeId: true } })).assigneeId;
      const c1 = await start("one");
      const c2 = await start("two");
      const x = await owner(c1);
      const y = await owner(c2);
      expect(new Set([x, y])).toEqual(new Set([agents[0]!.id, agents[1]!.id]));
      // One chat each: the agent who got theirs first has waited longest.
      const c3 = await start("three");
      expect(await owner(c3)).toBe(x);
      // x has two, y one: y is next.
      const c4 = await start("four");
      expect(await owner(c4)).toBe(y);
      // Sent to a group nobody of which is Online: it waits, and the next chat still goes to someone.
      await transferChat(db, agents.find((a) => a.id === y)!, { id: c4.chat.id, toGroupId: billing.id });
      const c5 = await start("five");
      expect(await db.chat.findUniqueOrThrow({ where: { id: c4.chat.id }, select: { status: true, assigneeId: true } })).toEqual({ status: "QUEUED", assigneeId: null });
      expect(await owner(c5)).toBe(y);
      // Its member comes Online and takes it, though others have room too.
      await online(agents[2]!);
      expect(await owner(c4)).toBe(agents[2]!.id);
    } finally {
      await db.group.delete({ where: { id: billing.id } });
    }
  });

  it("Break, Invisible and Offline agents get nothing; coming Online takes the longest waiting first", async () => {
    await setAgentStatus(db, agents[0]!.id, "BREAK");
    await setAgentStatus(db, agents[1]!.id, "INVISIBLE");
    const a = await start("first in line");
    const b = await start("second in line");
    expect(await db.chat.count({ where: { brandId, status: "QUEUED" } })).toBe(2);
    expect(a.chat.agent).toBeNull();
    await db.user.update({ where: { id: agents[2]!.id }, data: { chatCapacity: 1 } });
    await online(agents[2]!);
    expect((await db.chat.findUniqueOrThrow({ where: { id: a.chat.id } })).assigneeId).toBe(agents[2]!.id);
    expect((await db.chat.findUniqueOrThrow({ where: { id: b.chat.id } })).status).toBe("QUEUED");
    await db.user.update({ where: { id: agents[2]!.id }, data: { chatCapacity: 3 } });
  });

  it("an Online agent whose desk has been closed for too long gets no chats and is set Offline", async () => {
    await online(agents[3]!);
    await db.user.update({ where: { id: agents[3]!.id }, data: { agentSeenAt: new Date(Date.now() - 10 * 60_000) } });
    const c = await start("anyone there?");
    expect((await db.chat.findUniqueOrThrow({ where: { id: c.chat.id } })).status).toBe("QUEUED");
    const { offline } = await sweepAbsentAgents(db);
    expect(offline).toBeGreaterThanOrEqual(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: agents[3]!.id } })).agentStatus).toBe("OFFLINE");
    // Back at the desk and Online: the waiting chat arrives.
    await online(agents[3]!);
    await agentHeartbeat(db, agents[3]!);
    expect((await db.chat.findUniqueOrThrow({ where: { id: c.chat.id } })).assigneeId).toBe(agents[3]!.id);
  });

  it("racing resolves, takes and starts never push an agent over capacity", async () => {
    await online(agents[0]!, agents[1]!);
    const firstWave = await Promise.all(Array.from({ length: 10 }, () => start()));
    const active = await db.chat.findMany({ where: { brandId, status: "ACTIVE" }, select: { id: true, assigneeId: true } });
    const byId = new Map(agents.map((a) => [a.id, a]));
    await Promise.all([
      ...active.map((c) => resolveChat(db, byId.get(c.assigneeId!)!, { id: c.id, topicId })),
      ...Array.from({ length: 6 }, () => start()),
      ...firstWave.slice(6).map((w) => takeChat(db, agents[0]!, { id: w.chat.id }).catch(() => null)),
    ]);
    const perAgent = await loads();
    for (const n of perAgent.values()) expect(n).toBeLessThanOrEqual(3);
    expect([...perAgent.values()].reduce((x, y) => x + y, 0)).toBe(6);
  });

  it("transfers to an agent or a group leave a line in the transcript", async () => {
    await online(agents[0]!, agents[1]!);
    const c = await start();
    const owner = (await db.chat.findUniqueOrThrow({ where: { id: c.chat.id } })).assigneeId!;
    const from = agents.find((a) => a.id === owner)!;
    const to = agents.find((a) => a.id !== owner && (a === agents[0] || a === agents[1]))!;
    const detail = await transferChat(db, from, { id: c.chat.id, toUserId: to.id });
    expect(detail.assignee?.id).toBe(to.id);
    expect(detail.messages.at(-1)).toMatchObject({ kind: "SYSTEM", body: `${from.name} transferred the chat from ${from.name} to ${to.name}.` });
    await expect(transferChat(db, to, { id: c.chat.id, toUserId: agents[4]!.id })).rejects.toThrow("not Online");
    const back = await transferChat(db, to, { id: c.chat.id, toGroupId: groupId });
    expect(back.messages.some((m) => m.body === `${to.name} transferred the chat to the Chat desk group.`)).toBe(true);
  });
});

describe("the chat's customer (C9)", () => {
  it("a chat started with an email belongs to that customer: found (a missing name filled), or created; without an email, to nobody", async () => {
    const known = await db.customer.create({ data: { email: "known.visitor@example.com" }, select: { id: true } });
    const s1 = await visitor();
    const c1 = await startChat(db, { token: s1.token, name: "Known Visitor", email: "Known.Visitor@Example.com", message: "Hi" }, meta);
    expect(await db.chat.findUniqueOrThrow({ where: { id: c1.id }, select: { customerId: true, visitor: { select: { customerId: true, chatCount: true } } } })).toEqual({ customerId: known.id, visitor: { customerId: known.id, chatCount: 1 } });
    expect((await db.customer.findUniqueOrThrow({ where: { id: known.id } })).name).toBe("Known Visitor");

    const s2 = await visitor();
    const c2 = await startChat(db, { token: s2.token, name: "New Visitor", email: "new.visitor@example.com", message: "Hi" }, meta);
    const created = await db.customer.findUniqueOrThrow({ where: { email: "new.visitor@example.com" }, select: { id: true, name: true } });
    expect(created.name).toBe("New Visitor");
    expect((await db.chat.findUniqueOrThrow({ where: { id: c2.id } })).customerId).toBe(created.id);

    const s3 = await visitor();
    const c3 = await startChat(db, { token: s3.token, name: "No Email", message: "Hi" }, meta);
    expect((await db.chat.findUniqueOrThrow({ where: { id: c3.id } })).customerId).toBeNull();
  });
});

describe("chat list (C4)", () => {
  it("lists my chats first, then the others' by latest message, then the queue in waiting order, with capacity and online agents from the settings", async () => {
    await online(agents[0]!, agents[1]!);
    const a = await start("first");
    const b = await start("second");
    const owners = new Map((await db.chat.findMany({ where: { brandId }, select: { id: true, assigneeId: true } })).map((c) => [c.id, c.assigneeId]));
    const mine = owners.get(a.chat.id) === agents[0]!.id ? a.chat.id : b.chat.id;
    const theirs = mine === a.chat.id ? b.chat.id : a.chat.id;
    await db.user.update({ where: { id: agents[1]!.id }, data: { agentStatus: "OFFLINE" } });
    await db.user.update({ where: { id: agents[0]!.id }, data: { chatCapacity: 1 } });
    const q1 = await start("waiting longest");
    const q2 = await start("waiting");
    const view = await chatOverview(db, agents[0]!, { brandId });
    expect(view.chats.map((c) => c.id)).toEqual([mine, theirs, q1.chat.id, q2.chat.id]);
    expect(view).toMatchObject({ queue: 2, longestWaitSince: view.chats[2]!.queuedAt, onlineAgents: 1, me: { activeChats: 1, capacity: 1 } });
    expect(view.chats[2]).toMatchObject({ status: "QUEUED", assignee: null, lastMessage: "waiting longest", unread: 1, visitorName: expect.stringMatching(/^Visitor \d+$/) });

    // Without an own capacity the desk default applies; a value out of range in storage falls back to the built-in default.
    await db.user.update({ where: { id: agents[0]!.id }, data: { chatCapacity: null } });
    await db.group.update({ where: { id: groupId }, data: { chatCapacity: null } });
    await setSetting(db, "chat.defaultCapacity", 7);
    expect((await chatOverview(db, agents[0]!, { brandId })).me.capacity).toBe(7);
    await db.setting.update({ where: { key: "chat.defaultCapacity" }, data: { value: 500 } });
    expect((await chatOverview(db, agents[0]!, { brandId })).me.capacity).toBe(3);
    await db.setting.delete({ where: { key: "chat.defaultCapacity" } });

    // An Online agent whose desk has not been heard from within the offline setting is not counted.
    await db.user.update({ where: { id: agents[0]!.id }, data: { agentSeenAt: new Date(Date.now() - 10 * 60_000), chatCapacity: 3 } });
    expect((await chatOverview(db, agents[0]!, { brandId })).onlineAgents).toBe(0);
    await setSetting(db, "chat.offlineAfterMinutes", 15);
    expect((await chatOverview(db, agents[0]!, { brandId })).onlineAgents).toBe(1);
    await db.setting.delete({ where: { key: "chat.offlineAfterMinutes" } });
  });
});

describe("conversation (C1, C4, C5, C10)", () => {
  it("messages both ways, read receipts, notes hidden from the visitor, resolve needs a topic, archive finds it", async () => {
    await online(agents[0]!);
    const { token, chat } = await start("Where is my order?");
    expect(chat.agent?.name).toBe("Agent 1");
    const reply = await agentSend(db, agents[0]!, { id: chat.id, body: "Let me check <b>that</b> for you." });
    await agentSend(db, agents[0]!, { id: chat.id, body: "Customer is a VIP", note: true });
    const mine = await visitorSend(db, { token, chatId: chat.id, body: "<script>alert(1)</script> thanks" });
    expect(mine.body).toBe("<script>alert(1)</script> thanks");
    await visitorSeen(db, { token, chatId: chat.id, upToId: reply.id });
    await agentSeen(db, agents[0]!, { id: chat.id, upToId: mine.id });
    const session = await visitorSession(db, { brand: "chatco", token }, meta);
    expect(session.token).toBe(token);
    expect(session.chat?.messages.map((m) => m.kind)).toEqual(["VISITOR", "SYSTEM", "AGENT", "VISITOR"]);
    expect(session.chat?.messages.find((m) => m.id === reply.id)?.seenAt).not.toBeNull();
    const detail = await chatDetail(db, agents[0]!, chat.id);
    expect(detail.messages.find((m) => m.kind === "NOTE")?.body).toBe("Customer is a VIP");
    expect(detail.messages.find((m) => m.id === mine.id)?.seenAt).not.toBeNull();
    expect(detail.visitor).toMatchObject({ browser: "Chrome 131", os: "Windows", chatCount: 1 });

    const overview = await chatOverview(db, agents[0]!, { brandId });
    expect(overview).toMatchObject({ queue: 0, onlineAgents: 1, me: { status: "ONLINE", activeChats: 1, capacity: 3 } });
    // The list shows the last message that is not a note, and nothing unread once the agent saw it.
    expect(overview.chats.find((c) => c.id === chat.id)).toMatchObject({ lastMessage: "<script>alert(1)</script> thanks", unread: 0, assignee: { id: agents[0]!.id } });
    await visitorSend(db, { token, chatId: chat.id, body: "Hello?" });
    expect((await chatOverview(db, agents[0]!, { brandId })).chats.find((c) => c.id === chat.id)).toMatchObject({ lastMessage: "Hello?", unread: 1 });

    // Someone else's chat: no reply, but a note is fine; the seen mark of an onlooker is no read receipt.
    await expect(agentSend(db, agents[1]!, { id: chat.id, body: "Hi from me" })).rejects.toThrow("This chat belongs to another agent");
    const note = await agentSend(db, agents[1]!, { id: chat.id, body: "I know this customer", note: true });
    expect(note.kind).toBe("NOTE");
    const unread = await visitorSend(db, { token, chatId: chat.id, body: "Anyone?" });
    await agentSeen(db, agents[1]!, { id: chat.id, upToId: unread.id });
    expect((await chatDetail(db, agents[0]!, chat.id)).messages.find((m) => m.id === unread.id)?.seenAt).toBeNull();
    await expect(resolveChat(db, agents[0]!, { id: chat.id, topicId: null })).rejects.toThrow("Choose a topic before resolving.");
    await expect(resolveChat(db, agents[1]!, { id: chat.id, topicId })).rejects.toThrow("Only the assigned agent or a manager");
    await resolveChat(db, agents[0]!, { id: chat.id, topicId });
    await expect(agentSend(db, agents[0]!, { id: chat.id, body: "One more thing" })).rejects.toThrow("This chat is closed");
    const archive = await chatArchive(db, agents[0]!, { brandId, topicId, agentId: agents[0]!.id });
    expect(archive.rows.map((r) => r.id)).toEqual([chat.id]);
    expect(archive.rows[0]).toMatchObject({ topic: "Shipping question", agent: "Agent 1", messages: 5, status: "RESOLVED" });
    expect((await chatArchive(db, agents[0]!, { brandId, topicId, from: "2000-01-01", to: "2000-01-02" })).rows).toEqual([]);
    await expect(visitorSend(db, { token, chatId: chat.id, body: "still there?" })).rejects.toThrow("This chat has ended");
  });

  it("a visitor who leaves before anyone answers is a missed chat", async () => {
    const { token, chat } = await start();
    const ended = await visitorEnd(db, { token, chatId: chat.id });
    expect(ended.status).toBe("MISSED");
    expect((await chatArchive(db, manager, { brandId })).rows[0]).toMatchObject({ id: chat.id, status: "MISSED" });
  });

  it("convert to ticket keeps the transcript and asks for an email when there is none", async () => {
    await online(agents[0]!);
    const s = await visitor();
    const chat = await startChat(db, { token: s.token, name: "No Email", message: "My parcel is late" }, meta);
    await agentSend(db, agents[0]!, { id: chat.id, body: "It ships tomorrow." });
    await expect(convertChat(db, agents[0]!, { id: chat.id })).rejects.toMatchObject({ field: "email" });
    const { ticketNumber } = await convertChat(db, agents[0]!, { id: chat.id, email: "late@example.com" });
    const ticket = await db.ticket.findFirstOrThrow({ where: { number: ticketNumber }, select: { channel: true, customer: { select: { email: true } }, messages: { select: { text: true } } } });
    expect(ticket.channel).toBe("CHAT");
    expect(ticket.customer?.email).toBe("late@example.com");
    expect(ticket.messages[0]!.text).toContain("No Email: My parcel is late");
    expect(ticket.messages[0]!.text).toContain("Agent 1: It ships tomorrow.");
    expect((await chatDetail(db, agents[0]!, chat.id)).ticketNumber).toBe(ticketNumber);
    expect((await convertChat(db, agents[0]!, { id: chat.id })).ticketNumber).toBe(ticketNumber);
  });
});

describe("unseen relay by email (C8)", () => {
  it("emails an agent message the visitor did not see, and the visitor's email reply lands in the chat", async () => {
    await setSetting(db, "chat.relayDelaySeconds", 5);
    await online(agents[0]!);
    const { chat } = await start("Can you call me back?");
    const sentAt = Date.now();
    const m = await agentSend(db, agents[0]!, { id: chat.id, body: "Sure — what is your number?" });
    // One relay job for the chat, due when the configured delay has passed; a second reply keeps it.
    await agentSend(db, agents[0]!, { id: chat.id, body: "Or your email is fine too." });
    const jobs = await db.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`chat_relay:${chat.id}`}`;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.run_at.getTime() - sentAt).toBeGreaterThanOrEqual(4000);
    expect(jobs[0]!.run_at.getTime() - sentAt).toBeLessThan(30_000);
    expect((await runRelay(db, { chatId: chat.id })).relayed).toBe(0); // not due yet
    await db.chatMessage.update({ where: { id: m.id }, data: { createdAt: new Date(Date.now() - 6000) } });
    expect((await runRelay(db, { chatId: chat.id })).relayed).toBe(1);
    expect((await runRelay(db, { chatId: chat.id })).relayed).toBe(0); // never twice
    const mail = await db.emailLog.findFirstOrThrow({ where: { chatId: chat.id }, select: { to: true, purpose: true, text: true, emailMessageId: true, subject: true } });
    expect(mail).toMatchObject({ purpose: "CHAT_RELAY", to: [`visitor${seq}@example.com`] });
    expect(mail.text).toContain("Sure — what is your number?");
    expect(mail.subject).toContain("Agent 1");

    const mailbox = await db.mailbox.create({ data: { brandId, name: "ChatCo", address: "help@chatco.test", imapHost: "127.0.0.1", imapUser: "x", imapPasswordEnc: "x" }, select: { id: true, brandId: true } });
    const raw = Buffer.from(
      [`From: Visitor <visitor${seq}@example.com>`, "To: help@chatco.test", `Subject: Re: ${mail.subject}`, "Message-ID: <reply-1@example.com>", `In-Reply-To: <${mail.emailMessageId}>`, "Content-Type: text/plain; charset=utf-8", "", "It is 555 0100.", "", "On Mon, Agent 1 wrote:", "> Sure — what is your number?", ""].join("\r\n"),
    );
    const outcome = await ingestRawMessage(db, mailbox, raw, { ourAddresses: ["help@chatco.test"], agentAddresses: [] });
    expect(outcome.action).toBe("CHAT_REPLY");
    const last = (await chatDetail(db, agents[0]!, chat.id)).messages.at(-1)!;
    expect(last).toMatchObject({ kind: "VISITOR", body: "It is 555 0100." });
    await setSetting(db, "chat.relayDelaySeconds", 60);
  });
});

describe("bad input and permissions", () => {
  it("the pre-chat form asks for what the settings require (name by default; email when set), and nothing is started without it", async () => {
    await online(agents[0]!);
    const s = await visitor();
    await expect(startChat(db, { token: s.token, message: "hello?" }, meta)).rejects.toThrow("Please tell us your name.");
    await setSetting(db, "chat.emailRequired", true);
    try {
      await expect(startChat(db, { token: s.token, name: "Zeynep", message: "hello?" }, meta)).rejects.toThrow("Please tell us your email address.");
      expect(await db.chat.count({ where: { brandId } })).toBe(0);
      await setSetting(db, "chat.nameRequired", false);
      const chat = await startChat(db, { token: s.token, email: "zeynep@example.com", message: "hello?" }, meta);
      expect(chat.status).toBe("ACTIVE");
      // A returning visitor's session brings the open chat back.
      expect((await visitorSession(db, { brand: "chatco", token: s.token }, meta)).chat?.id).toBe(chat.id);
    } finally {
      await setSetting(db, "chat.emailRequired", false);
      await setSetting(db, "chat.nameRequired", true);
    }
  });

  it("refuses forged tokens, other visitors' chats, floods and banned visitors with clear messages", async () => {
    await online(agents[0]!);
    const a = await start();
    const b = await start();
    const forged = signVisitorToken("someone-else", brandId).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    await expect(visitorSend(db, { token: forged, chatId: a.chat.id, body: "hi" })).rejects.toThrow("not valid");
    await expect(visitorSend(db, { token: a.token, chatId: b.chat.id, body: "hi" })).rejects.toThrow("was not found");
    await expect(visitorSend(db, { token: a.token, chatId: a.chat.id, body: "x".repeat(5001) })).rejects.toThrow("at most 5000");
    await expect(visitorSend(db, { token: a.token, chatId: a.chat.id, body: "   " })).rejects.toThrow("Write a message first.");
    for (let i = 0; i < 30; i++) await visitorSend(db, { token: a.token, chatId: a.chat.id, body: `msg ${i}` });
    await expect(visitorSend(db, { token: a.token, chatId: a.chat.id, body: "one too many" })).rejects.toThrow(/sending messages very quickly\. Please wait \d+ s/);
    expect(await db.chatMessage.count({ where: { chatId: a.chat.id, kind: "VISITOR" } })).toBe(31);

    const visitorId = (await db.chat.findUniqueOrThrow({ where: { id: b.chat.id } })).visitorId;
    await banVisitor(db, agents[0]!, { visitorId, banned: true });
    await expect(startChat(db, { token: b.token, name: "Again", message: "let me in" }, meta)).rejects.toThrow("not available to you");
    expect((await db.chat.findUniqueOrThrow({ where: { id: b.chat.id } })).endedAt).not.toBeNull();
  });

  it("over HTTP: zod refuses bad input, agents of another brand cannot see the chat, and a customer cannot reach agent procedures", async () => {
    const session = await callTrpc(server.url, "widget.session", "mutation", { brand: "chatco" });
    const token = (session.body as { result: { data: { json: { token: string } } } }).result.data.json.token;
    const bad = await callTrpc(server.url, "widget.start", "mutation", { token, name: "Zed", email: "not-an-email", message: "hi" });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.json.message).toContain("Enter a valid email address.");
    const unknown = await callTrpc(server.url, "widget.config", "query", { brand: "no-such-brand" });
    expect(unknown.status).toBe(404);
    expect((await callTrpc(server.url, "chat.overview", "query", {})).body.error?.json.data.code).toBe("UNAUTHORIZED");

    await online(agents[0]!);
    const started = await callTrpc(server.url, "widget.start", "mutation", { token, name: "Zed", message: "hello over http" });
    expect(started.status).toBe(200);
    const chatId = (started.body as { result: { data: { json: { id: number } } } }).result.data.json.id;
    const ayse = await db.user.findUniqueOrThrow({ where: { email: "ayse@acme.test" }, select: { id: true, sessionVersion: true } });
    const foreign = await callTrpc(server.url, "chat.get", "query", { id: chatId }, await sessionCookie(ayse));
    expect(foreign.body.error?.json.data.code).toBe("NOT_FOUND");
  });

  it("realtime: a visitor token opens its own chat's channel only; agents need the brand", async () => {
    await online(agents[0]!);
    const a = await start();
    const b = await start();
    const auth = (channel: string, extra: Record<string, string>, cookie?: string) =>
      realtimeAuth(new Request("http://x/api/realtime/auth", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) }, body: new URLSearchParams({ socket_id: "1.2", channel_name: channel, ...extra }).toString() }));
    expect((await auth(`private-chat-${a.chat.id}`, { visitor_token: a.token })).status).toBe(200);
    expect((await auth(`private-chat-${b.chat.id}`, { visitor_token: a.token })).status).toBe(403);
    expect((await auth(`private-chat-${a.chat.id}`, { visitor_token: "v1.x.y.z" })).status).toBe(403);
    expect((await auth(`private-brand-${brandId}`, { visitor_token: a.token })).status).toBe(401);
    expect((await auth(`private-chat-${a.chat.id}`, {})).status).toBe(401);
    const u = await db.user.findUniqueOrThrow({ where: { email: "agent1@chatco.test" }, select: { id: true, sessionVersion: true } });
    expect((await auth(`private-chat-${a.chat.id}`, {}, await sessionCookie(u))).status).toBe(200);
    const ayse = await db.user.findUniqueOrThrow({ where: { email: "ayse@acme.test" }, select: { id: true, sessionVersion: true } });
    expect((await auth(`private-chat-${a.chat.id}`, {}, await sessionCookie(ayse))).status).toBe(403);
  });
});
