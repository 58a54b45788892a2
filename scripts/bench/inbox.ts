/**
 * npm run bench inbox — server time of inbox requests through the real tRPC HTTP
 * handler (the one Next mounts at /api/trpc), on the bench:seed data set.
 */
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import superjson from "superjson";
import { row } from "./stats";
import type { Db } from "@/lib/db";

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
  // BENCH_ONLY=<label fragment>: run just the matching cases (quick A/B comparisons).
  const only = process.env.BENCH_ONLY;
  const wanted = (label: string) => !only || label.includes(only);
  const time = async (label: string, path: string, input: (i: number) => unknown, n = opts.requests) => {
    if (!wanted(label)) return;
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
  const brand = await db.brand.findFirstOrThrow({ orderBy: { name: "asc" }, select: { id: true } });
  const list = (filters: Record<string, unknown>) => () => ({ filters: { folder: "all", sort: "updated", ...filters }, limit: 50 });
  const listCases: [string, (i: number) => unknown][] = [
    ["first page, unfiltered", list({})],
    ["first page, sorted by priority", list({ sort: "priority" })],
    ["first page, sorted by created", list({ sort: "created" })],
    ["filter: brand", list({ brandId: brand.id })],
    ["filter: status = Open", list({ status: ["OPEN"] })],
    ["filter: priority = Highest", list({ priority: ["HIGHEST"] })],
    ["filter: channel = Chat", list({ channel: ["CHAT"] })],
    ["filter: assignee = an agent", list({ assignee: agent.id })],
    ["filter: unassigned", list({ assignee: "unassigned" })],
    ["filter: group", list({ groupId: group.id })],
    ["filter: type", list({ typeId: type.id })],
    ["filter: topic", list({ topicId: topic.id })],
    ["filter: tag", list({ tags: ["vip"] })],
    ["filter: min. 6 messages", list({ minMessages: 6 })],
    ["filter: created in a 7-day range", list({ createdFrom: isoDay(-60), createdTo: isoDay(-53) })],
    ["filter: updated in a 7-day range", list({ updatedFrom: isoDay(-60), updatedTo: isoDay(-53) })],
    ["folder: spam", list({ folder: "spam" })],
    ["three combined (status+priority+assignee)", list({ status: ["OPEN", "PENDING"], priority: ["HIGH", "HIGHEST"], assignee: agent.id })],
  ];
  const words = ["refund", "şikayet", "warehouse", "norway", "siparişim", "beställning", "tracking", "urgent"];
  const search = (i: number) => ({ filters: { folder: "all", sort: "updated", q: words[i % words.length] }, limit: 50 });
  const longThread = await db.ticket.findFirstOrThrow({ where: { messages: { some: {} } }, orderBy: { messages: { _count: "desc" } }, select: { number: true, _count: { select: { messages: true } } } });

  if (process.env.BENCH_EXPLAIN) {
    await explain(db, admin, [...listCases, ["full-text search (refund)", search]], longThread.number, process.env.BENCH_EXPLAIN);
    await db.$disconnect();
    return;
  }

  for (const [label, input] of listCases) await time(label, "tickets.list", input);
  await time("full-text search (rotating words)", "tickets.list", search);
  await time(`open a ticket (${longThread._count.messages} messages)`, "tickets.get", () => ({ number: longThread.number }));
  const next = await call("tickets.list", { filters: { folder: "all", sort: "updated" }, limit: 50 });
  const cursor = superjson.parse<{ nextCursor: unknown }>(JSON.stringify((JSON.parse(next.body) as { result: { data: unknown } }).result.data)).nextCursor;
  await time("second page (keyset)", "tickets.list", () => ({ filters: { folder: "all", sort: "updated" }, limit: 50, cursor }));

  // Every run really changes 500 tickets, each run others across the table: even runs raise 500
  // Medium tickets to High, odd runs lower 500 High ones to Medium, so each pair leaves the
  // priority counts as the seed made them (the bench can be run again on a realistic data set).
  const bulkRuns = Number(process.env.BENCH_BULK_RUNS ?? 20);
  if (!wanted("bulk")) return void (await db.$disconnect());
  const bulkMs: number[] = [];
  for (let i = 0; i < bulkRuns; i++) {
    const [from, to] = i % 2 ? (["HIGH", "MEDIUM"] as const) : (["MEDIUM", "HIGH"] as const);
    const ids = (await db.ticket.findMany({ where: { state: "ACTIVE", status: { not: "CLOSED" }, mergedIntoId: null, priority: from, id: { gt: i * Math.floor(count / bulkRuns / 2) } }, select: { id: true }, take: 500, orderBy: { id: "asc" } })).map((t) => t.id);
    bulkMs.push((await call("tickets.bulk", { ticketIds: ids, action: { type: "priority", priority: to } }, true)).ms);
  }
  console.log(row(`bulk update of 500 tickets (priority, ${bulkRuns} runs)`, bulkMs));
  console.log(`  runs in order (ms): ${bulkMs.map((ms) => ms.toFixed(0)).join(" ")}`);
  await db.$disconnect();
}

/**
 * BENCH_EXPLAIN=1 (or a label fragment): EXPLAIN (ANALYZE, BUFFERS) of each list case's id
 * query exactly as lib/tickets/query builds it, then the ticket open's statements one by one.
 */
async function explain(db: Db, admin: { id: string; sessionVersion: number }, cases: [string, (i: number) => unknown][], ticketNumber: number, only: string) {
  const { Prisma, PrismaClient } = await import("@/lib/generated/prisma/client");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { matchingIdsSql } = await import("@/lib/tickets/query");
  const { ticketFilterSchema } = await import("@/lib/tickets/filters");
  const { loadCurrentUser } = await import("@/lib/auth/current-user");
  const { ticketDetail } = await import("@/lib/tickets/detail");
  const user = (await loadCurrentUser(db, admin.id, admin.sessionVersion))!;
  const match = (label: string) => only === "1" || label.includes(only);
  const indexes = await db.$queryRaw<{ indexdef: string }[]>`SELECT indexdef FROM pg_indexes WHERE tablename = 'Ticket' ORDER BY indexname`;
  console.log(`Indexes on "Ticket":\n${indexes.map((i) => `  ${i.indexdef}`).join("\n")}`);
  for (const [label, input] of cases) {
    if (!match(label)) continue;
    const { filters, limit } = input(0) as { filters: unknown; limit: number };
    const sql = matchingIdsSql(ticketFilterSchema.parse(filters), { userId: user.id, brandIds: user.brandIds }, { limit: limit + 1 });
    await db.$queryRaw(sql); // warm
    const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
    console.log(`\n── ${label}\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}`);
  }
  const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL!, options: "-c TimeZone=UTC" }), log: [{ emit: "event", level: "query" }] });
  const statements: { ms: number; query: string }[] = [];
  logged.$on("query", (e) => statements.push({ ms: e.duration, query: e.query }));
  const profile = async (label: string, run: () => Promise<unknown>) => {
    statements.length = 0;
    const t = performance.now();
    await run();
    console.log(`\n── ${label}: ${statements.length} statements, ${(performance.now() - t).toFixed(1)} ms`);
    for (const s of statements) console.log(`${s.ms.toFixed(1).padStart(6)} ms  ${s.query.slice(0, 200)}`);
  };
  if (match("open a ticket")) {
    await ticketDetail(logged, user, ticketNumber); // warm
    await profile(`open ticket #${ticketNumber}`, () => ticketDetail(logged, user, ticketNumber));
  }
  if (match("bulk")) {
    // The same pair of changes as the bench's bulk runs, so the data set is left as it was.
    const { bulkUpdate } = await import("@/lib/tickets/bulk");
    for (const [from, to] of [["MEDIUM", "HIGH"], ["HIGH", "MEDIUM"]] as const) {
      const ids = (await db.ticket.findMany({ where: { state: "ACTIVE", status: { not: "CLOSED" }, mergedIntoId: null, priority: from, id: { gt: 600_000 } }, select: { id: true }, take: 500, orderBy: { id: "asc" } })).map((t) => t.id);
      await profile(`bulk ${from} → ${to} of ${ids.length} tickets`, () => bulkUpdate(logged, user, { ticketIds: ids, action: { type: "priority", priority: to } }));
    }
  }
  await logged.$disconnect();
}

function isoDay(offsetDays: number) {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}
