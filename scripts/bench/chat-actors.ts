/**
 * The simulated people of `npm run bench chat`, run in a child process: either the
 * customers (widget calls + pusher-js on their chat channels) or the agents (desk calls
 * + pusher-js on their user and chat channels). Message bodies carry their send time;
 * both processes share the machine's clock.
 */
import Pusher from "pusher-js";
import { callTrpc } from "@/lib/test/http";
import { atMostEvery } from "@/components/realtime/at-most-every";
import { CHAT_LIST_LIMIT } from "@/lib/chat/list-order";

export type ActorConfig = {
  role: "customers" | "agents";
  base: string;
  key: string;
  wsPort: number;
  seconds: number;
  /** Customers arrive evenly over this many seconds (20 = 10 new chats a second; 2 = a burst of 100 a second). */
  arrivalSeconds: number;
  startAt: number;
  customers?: number;
  agents?: { id: string; cookie: string }[];
  brandId: string;
};
export type ActorReport = { latencies: number[]; assignment: number[]; sent: number; received: number; started: number; errors: string[] };

const report: ActorReport = { latencies: [], assignment: [], sent: 0, received: 0, started: 0, errors: [] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MARK = /\[bench (\d+(?:\.\d+)?)\]/;

function connect(c: ActorConfig, auth: { cookie?: string; visitorToken?: string }) {
  return new Pusher(c.key, {
    cluster: "local",
    wsHost: "127.0.0.1",
    wsPort: c.wsPort,
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    channelAuthorization: {
      endpoint: "/api/realtime/auth",
      transport: "ajax",
      customHandler: ({ socketId, channelName }, cb) => {
        const body = new URLSearchParams({ socket_id: socketId, channel_name: channelName, ...(auth.visitorToken ? { visitor_token: auth.visitorToken } : {}) });
        fetch(`${c.base}/api/realtime/auth`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(auth.cookie ? { cookie: auth.cookie } : {}) }, body })
          .then(async (r) => (r.ok ? cb(null, (await r.json()) as { auth: string }) : cb(new Error(`auth ${r.status}`), null)))
          .catch((e: Error) => cb(e, null));
      },
    },
  });
}

const now = () => performance.timeOrigin + performance.now();

async function call(c: ActorConfig, path: string, type: "query" | "mutation", input: unknown, cookie?: string) {
  try {
    const r = await callTrpc(c.base, path, type, input, cookie);
    if (r.body.error) throw new Error(`${path}: ${r.body.error.json.message}`);
    return r.body.result!.data.json;
  } catch (e) {
    if (report.errors.length < 50) report.errors.push(e instanceof Error ? e.message : String(e));
    return null;
  }
}

async function customers(c: ActorConfig) {
  const deadline = c.startAt + c.seconds * 1000;
  await sleep(c.startAt - Date.now());
  const one = async (i: number) => {
    await sleep((i * c.arrivalSeconds * 1000) / c.customers!); // arrivals spread evenly over the first arrivalSeconds
    const s = (await call(c, "widget.session", "mutation", { brand: "acme" })) as { token: string } | null;
    if (!s) return;
    const pusher = connect(c, { visitorToken: s.token });
    const t0 = now();
    const chat = (await call(c, "widget.start", "mutation", { token: s.token, name: `Bench Customer ${i}`, message: `Hello [bench ${now()}]` })) as { id: number; status: string } | null;
    if (!chat) return;
    report.started++;
    report.sent++; // the first message, answered by the agent like any other
    let assigned = chat.status === "ACTIVE";
    if (assigned) report.assignment.push(now() - t0);
    const channel = pusher.subscribe(`private-chat-${chat.id}`);
    channel.bind("chat.updated", (e: { status: string }) => {
      if (!assigned && e.status === "ACTIVE") {
        assigned = true;
        report.assignment.push(now() - t0);
      }
    });
    const got = new Set<number>();
    const receive = (msg: { id: number; kind: string; body: string }, live: boolean) => {
      const m = MARK.exec(msg.body);
      if (msg.kind !== "AGENT" || !m || got.has(msg.id)) return;
      got.add(msg.id);
      report.received++;
      if (live) report.latencies.push(now() - Number(m[1]));
      // The open widget marks what it showed as seen, as the real panel does.
      if (live && Date.now() < deadline - 2000) void call(c, "widget.seen", "mutation", { token: s.token, chatId: chat.id, upToId: msg.id });
    };
    channel.bind("chat.message", (e: { message: { id: number; kind: string; body: string } }) => receive(e.message, true));
    await new Promise<void>((r) => channel.bind("pusher:subscription_succeeded", () => r()));
    // Anything sent before the subscription was in place comes with the transcript, as in the widget.
    const again = (await call(c, "widget.session", "mutation", { brand: "acme", token: s.token })) as { chat: { messages: { id: number; kind: string; body: string }[] } | null } | null;
    for (const msg of again?.chat?.messages ?? []) receive(msg, false);
    // One message every 2.5–4.5 s until the end (stays under the visitor rate limit).
    while (Date.now() < deadline - 3000) {
      await sleep(2500 + Math.random() * 2000);
      if (Date.now() >= deadline - 3000) break;
      const ok = await call(c, "widget.send", "mutation", { token: s.token, chatId: chat.id, body: `Still waiting for my parcel [bench ${now()}]` });
      if (ok) report.sent++;
    }
    await sleep(Math.max(0, deadline - Date.now()));
    pusher.disconnect();
  };
  await Promise.all(Array.from({ length: c.customers! }, (_, i) => one(i)));
}

async function agents(c: ActorConfig) {
  const deadline = c.startAt + c.seconds * 1000;
  const one = async (a: { id: string; cookie: string }) => {
    const pusher = connect(c, { cookie: a.cookie });
    const chats = new Set<number>();
    const handled = new Set<number>();
    const watch = (chatId: number) => {
      if (chats.has(chatId)) return;
      chats.add(chatId);
      const ch = pusher.subscribe(`private-chat-${chatId}`);
      ch.bind("chat.message", (e: { message: { id: number; kind: string; body: string } }) => {
        if (e.message.kind !== "VISITOR") return;
        const m = MARK.exec(e.message.body);
        if (!m || handled.has(e.message.id)) return;
        handled.add(e.message.id);
        report.received++;
        report.latencies.push(now() - Number(m[1]));
        if (Date.now() > deadline - 2000) return;
        void call(c, "chat.seen", "mutation", { id: chatId, upToId: e.message.id }, a.cookie);
        void call(c, "chat.send", "mutation", { id: chatId, body: `Let me check that for you [bench ${now()}]` }, a.cookie).then((ok) => ok && report.sent++);
      });
      // Messages sent before the subscription: the transcript has them (as a desk tab would refetch).
      ch.bind("pusher:subscription_succeeded", async () => {
        const d = (await call(c, "chat.get", "query", { id: chatId }, a.cookie)) as { messages: { id: number; kind: string; body: string }[] } | null;
        // Every visitor message that arrived before the subscription counts as delivered with the
        // transcript (part of the assignment path, not of message latency); answer the latest.
        const earlier = (d?.messages ?? []).filter((m) => m.kind === "VISITOR" && MARK.test(m.body) && !handled.has(m.id));
        for (const m of earlier) {
          handled.add(m.id);
          report.received++;
        }
        if (earlier.length) void call(c, "chat.send", "mutation", { id: chatId, body: `Hi, I'm here [bench ${now()}]` }, a.cookie).then((ok) => ok && report.sent++);
      });
    };
    // Like a desk tab on /chats (components/chat/use-chat-realtime.ts): chats starting, moving or
    // closing patch the list with the line the event carries, messages patch the lines the list
    // has; the list is fetched (at most once a second) only for what cannot be patched.
    const brand = pusher.subscribe(`private-brand-${c.brandId}`);
    const listed = new Set<number>();
    const refresh = atMostEvery(1000, () => {
      if (Date.now() > deadline) return;
      void call(c, "chat.overview", "query", {}, a.cookie).then((o) => {
        listed.clear();
        for (const chat of (o as { chats: { id: number }[] } | null)?.chats ?? []) listed.add(chat.id);
      });
    });
    brand.bind("pusher:subscription_succeeded", () => refresh.request()); // the list a desk tab opens with
    brand.bind("chat.changed", (e: { chatId: number; line?: { id: number } | null }) => {
      if (e.line === undefined || listed.size >= CHAT_LIST_LIMIT) return refresh.request();
      if (e.line) listed.add(e.chatId);
      else listed.delete(e.chatId);
    });
    brand.bind("chat.activity", (e: { chatIds: number[]; chats: { id: number }[] }) => {
      const lines = new Set(e.chats.map((l) => l.id));
      if (e.chatIds.some((id) => !listed.has(id) || !lines.has(id))) refresh.request();
    });
    const user = pusher.subscribe(`private-user-${a.id}`);
    user.bind("chat.assigned", (e: { chatId: number }) => watch(e.chatId));
    await new Promise<void>((r) => user.bind("pusher:subscription_succeeded", () => r()));
    const heartbeat = setInterval(() => void call(c, "chat.heartbeat", "mutation", {}, a.cookie), 30_000);
    await sleep(Math.max(0, deadline - Date.now() + 2000));
    clearInterval(heartbeat);
    refresh.cancel();
    pusher.disconnect();
  };
  await Promise.all(c.agents!.map(one));
}

process.on("message", async (m: { type: string; config: ActorConfig }) => {
  if (m.type !== "start") return;
  const c = m.config;
  await (c.role === "customers" ? customers(c) : agents(c));
  // Deliveries still on the wire.
  await sleep(1500);
  process.send!({ type: "report", report });
});
