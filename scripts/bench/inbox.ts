/**
 * npm run bench inbox — server time of inbox requests through the real tRPC HTTP
 * handler (the one Next mounts at /api/trpc), on the bench:seed data set.
 */
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import superjson from "superjson";
import { row } from "./stats";

export async function benchInbox(databaseUrl: string, opts: { requests: number }) {
  void databaseUrl; // configured by benchDatabase()
  const { handleTrpc } = await import("@/lib/trpc/handler");
  const { db } = await import("@/lib/db");
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
  const cookie = `next-auth.session-token=${await encode({ token: { sub: admin.id, sv: admin.sessionVersion }, secret: process.env.NEXTAUTH_SECRET! })}`;

  const call = async (path: string, input: unknown, mutation = false) => {
    const payload = JSON.stringify(superjson.serialize(input));
    const req = mutation
      ? new Request(`http://bench/api/trpc/${path}`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: payload })
      : new Request(`http://bench/api/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers: { cookie } });
    const t = performance.now();
    const res = await handleTrpc(req);
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${body.slice(0, 300)}`);
    return { ms, body };
  };
  const time = async (label: string, path: string, input: (i: number) => unknown, n = opts.requests) => {
    for (let i = 0; i < 5; i++) await call(path, input(i)); // warm up
    const ms: number[] = [];
    for (let i = 0; i < n; i++) ms.push((await call(path, input(i))).ms);
    console.log(row(label, ms));
  };

  const count = await db.ticket.count();
  console.log(`Inbox benchmark on ${count.toLocaleString()} tickets, ${opts.requests} requests each (server time through the tRPC handler):`);
  const [agent, group, type, topic] = await Promise.all([
    db.user.findFirstOrThrow({ where: { email: "ben@acme.test" } }),
    db.group.findFirstOrThrow(),
    db.ticketType.findFirstOrThrow(),
    db.topic.findFirstOrThrow(),
  ]);
  const list = (filters: Record<string, unknown>) => () => ({ filters: { folder: "all", sort: "updated", ...filters }, limit: 50 });
  await time("first page, unfiltered", "tickets.list", list({}));
  await time("first page, sorted by priority", "tickets.list", list({ sort: "priority" }));
  await time("filter: status = Open", "tickets.list", list({ status: ["OPEN"] }));
  await time("filter: priority = Highest", "tickets.list", list({ priority: ["HIGHEST"] }));
  await time("filter: channel = Chat", "tickets.list", list({ channel: ["CHAT"] }));
  await time("filter: assignee = an agent", "tickets.list", list({ assignee: agent.id }));
  await time("filter: unassigned", "tickets.list", list({ assignee: "unassigned" }));
  await time("filter: group", "tickets.list", list({ groupId: group.id }));
  await time("filter: type", "tickets.list", list({ typeId: type.id }));
  await time("filter: topic", "tickets.list", list({ topicId: topic.id }));
  await time("filter: tag", "tickets.list", list({ tags: ["vip"] }));
  await time("filter: min. 6 messages", "tickets.list", list({ minMessages: 6 }));
  await time("filter: created in a 7-day range", "tickets.list", list({ createdFrom: isoDay(-60), createdTo: isoDay(-53) }));
  await time("folder: spam", "tickets.list", list({ folder: "spam" }));
  await time("three combined (status+priority+assignee)", "tickets.list", list({ status: ["OPEN", "PENDING"], priority: ["HIGH", "HIGHEST"], assignee: agent.id }));
  const words = ["refund", "şikayet", "warehouse", "norway", "siparişim", "beställning", "tracking", "urgent"];
  await time("full-text search (rotating words)", "tickets.list", (i) => ({ filters: { folder: "all", sort: "updated", q: words[i % words.length] }, limit: 50 }));
  const longThread = await db.ticket.findFirstOrThrow({ where: { messages: { some: {} } }, orderBy: { messages: { _count: "desc" } }, select: { number: true, _count: { select: { messages: true } } } });
  await time(`open a ticket (${longThread._count.messages} messages)`, "tickets.get", () => ({ number: longThread.number }));
  const next = await call("tickets.list", { filters: { folder: "all", sort: "updated" }, limit: 50 });
  const cursor = superjson.parse<{ nextCursor: unknown }>(JSON.stringify((JSON.parse(next.body) as { result: { data: unknown } }).result.data)).nextCursor;
  await time("second page (keyset)", "tickets.list", () => ({ filters: { folder: "all", sort: "updated" }, limit: 50, cursor }));

  const bulkMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const ids = (await db.ticket.findMany({ where: { state: "ACTIVE", status: { not: "CLOSED" } }, select: { id: true }, skip: i * 500, take: 500, orderBy: { id: "asc" } })).map((t) => t.id);
    bulkMs.push((await call("tickets.bulk", { ticketIds: ids, action: { type: "priority", priority: i % 2 ? "HIGH" : "LOW" } }, true)).ms);
  }
  console.log(row("bulk update of 500 tickets (priority)", bulkMs));
  await db.$disconnect();
}

function isoDay(offsetDays: number) {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}
