/**
 * npm run bench chat — live chat under load: 200 simulated customers and 20 simulated
 * agents, each group in its own process, talking to the app over real HTTP (the tRPC
 * handler the web app mounts, and its realtime auth route) and receiving through
 * pusher-js from the built-in realtime server, for 60 s (BENCH_SECONDS).
 *
 * BENCH_TCP=1 connects to PostgreSQL over TCP loopback instead of the Unix socket quickstart uses.
 *
 * Prints message send → received on the other side (p50/p95/p99), assignment latency
 * (widget.start → the visitor hears an agent joined), lost messages and errors.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AsyncLocalStorage } from "node:async_hooks";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/embedded-pg.mjs";
import { deploy } from "../db-migrate";
import { percentiles } from "./stats";
import type { ActorConfig, ActorReport } from "./chat-actors";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const ARRIVAL_SECONDS = Number(process.env.BENCH_ARRIVAL_SECONDS ?? 20);
const APP = { id: "chatbench", key: "chatbench-key", secret: "chatbench-secret-000" };

function run(child: ChildProcess, config: ActorConfig) {
  return new Promise<ActorReport>((resolve, reject) => {
    child.on("message", (m: { type: string; report?: ActorReport }) => {
      if (m.type === "report") resolve(m.report!);
    });
    child.once("exit", (code) => (code ? reject(new Error(`actors exited with ${code}`)) : undefined));
    child.send({ type: "start", config });
  });
}

async function freePort() {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

async function startRealtimeProcess(root: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "workers/realtime.ts")], {
    env: { ...process.env, PUSHER_APP_ID: APP.id, PUSHER_KEY: APP.key, PUSHER_SECRET: APP.secret, PUSHER_HOST: "127.0.0.1", PUSHER_PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`realtime server exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve());
  });
  return { port, child };
}

export async function benchChat() {
  const root = path.resolve(import.meta.dirname, "../..");
  // Its own throwaway server: the chat benchmark needs no bulk data and must not disturb the 1M-ticket one.
  const pg = await startEmbeddedPostgres({ dir: path.join(root, ".data/chat-bench-postgres"), port: 0, persistent: false });
  const admin = new (await import("pg")).default.Client({ connectionString: pg.url("postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS relaydesk_chat_bench WITH (FORCE)`);
  await admin.query(`CREATE DATABASE relaydesk_chat_bench`);
  await admin.end();
  const url = process.env.BENCH_TCP ? pg.url("relaydesk_chat_bench") : pg.socketUrl("relaydesk_chat_bench"); // as quickstart connects
  await deploy(url);

  // The realtime server in its own process, as quickstart runs it (and first: the app reads its
  // configuration once, when its modules load).
  const realtime = await startRealtimeProcess(root);
  Object.assign(process.env, {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? "20",
    NEXTAUTH_SECRET: "chat-bench-secret-chat-bench-secret-000",
    RELAYDESK_SECRET_KEY: "44".repeat(32),
    PUSHER_APP_ID: APP.id,
    PUSHER_KEY: APP.key,
    PUSHER_SECRET: APP.secret,
    PUSHER_HOST: "127.0.0.1",
    PUSHER_PORT: String(realtime.port),
  });
  const { db } = await import("@/lib/db");
  const { seedDemo } = await import("@/lib/seed/demo");
  const { handleTrpc } = await import("@/lib/trpc/handler");
  const { POST: realtimeAuth } = await import("@/app/api/realtime/auth/route");
  const { sessionCookie } = await import("@/lib/test/http");
  const { setAgentStatus } = await import("@/lib/users/profile");

  await seedDemo(db);
  const acme = await db.brand.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } });
  const role = await db.role.findUniqueOrThrow({ where: { builtIn: "AGENT" }, select: { id: true } });
  const group = await db.group.create({ data: { name: "Bench chat", brands: { create: { brandId: acme.id } } }, select: { id: true } });
  await db.user.updateMany({ data: { agentStatus: "OFFLINE" } });
  const capacity = Math.ceil(CUSTOMERS / AGENTS);
  const agents: { id: string; cookie: string }[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const u = await db.user.create({ data: { email: `bench-agent-${i}@acme.test`, name: `Bench Agent ${i}`, roleId: role.id, chatCapacity: capacity, groups: { create: { groupId: group.id } } }, select: { id: true, sessionVersion: true } });
    await setAgentStatus(db, u.id, "ONLINE");
    agents.push({ id: u.id, cookie: await sessionCookie(u) });
  }

  // Every statement any pool client sends is counted (per procedure in the one-at-a-time cost
  // figures below; under load a pooled query can run in another request's async context).
  let statements = 0;
  const current = new AsyncLocalStorage<string>();
  const sqlSeen = new Map<string, string[]>();
  const pgClient = (await import("pg")).default.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = pgClient.query;
  pgClient.query = function (this: unknown, ...a: unknown[]) {
    const name = current.getStore();
    statements++;
    if (name && process.env.BENCH_SQL_LOG) (sqlSeen.get(name) ?? sqlSeen.set(name, []).get(name)!).push(String(typeof a[0] === "string" ? a[0] : (a[0] as { text?: string })?.text).slice(0, 160));
    return query.apply(this, a);
  };

  const serverTimes = new Map<string, number[]>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
    const name = (req.url ?? "").split("?")[0]!.replace("/api/trpc/", "");
    const t = performance.now();
    const response = await current.run(name, () => (req.url?.startsWith("/api/realtime/auth") ? realtimeAuth(request) : handleTrpc(request)));
    (serverTimes.get(name) ?? serverTimes.set(name, []).get(name)!).push(performance.now() - t);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Warm-up (module loading, JIT, connection pools) so the figures describe a running desk.
  const { callTrpc } = await import("@/lib/test/http");
  for (let i = 0; i < 5; i++) {
    const s = (await callTrpc(base, "widget.session", "mutation", { brand: "acme" })).body.result!.data.json as { token: string };
    const w0 = performance.now();
    const chat = (await callTrpc(base, "widget.start", "mutation", { token: s.token, name: "Warm-up", message: "warm-up" })).body.result!.data.json as { id: number };
    if (process.env.BENCH_DEBUG) console.log(`warm-up start ${(performance.now() - w0).toFixed(1)} ms`);
    await callTrpc(base, "widget.send", "mutation", { token: s.token, chatId: chat.id, body: "warm-up" });
    const owner = await db.chat.findUniqueOrThrow({ where: { id: chat.id }, select: { assigneeId: true } });
    const cookie = agents.find((a) => a.id === owner.assigneeId)!.cookie;
    await callTrpc(base, "chat.send", "mutation", { id: chat.id, body: "warm-up" }, cookie);
    await callTrpc(base, "chat.get", "query", { id: chat.id }, cookie);
    await db.chat.delete({ where: { id: chat.id } });
  }

  console.log(`Chat benchmark: ${CUSTOMERS} customers and ${AGENTS} agents (capacity ${capacity}) in two processes, real HTTP + pusher-js, ${SECONDS} s; customers arrive over ${ARRIVAL_SECONDS} s`);
  const actor = () => fork(path.join(import.meta.dirname, "chat-actors.ts"), [], { execArgv: ["--conditions=react-server", "--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const agentProc = actor();
  const customerProc = actor();
  const common = { base, brandId: acme.id, key: APP.key, wsPort: realtime.port, seconds: SECONDS, arrivalSeconds: ARRIVAL_SECONDS, startAt: Date.now() + 3000 };
  // How long the app's single event loop keeps requests and database answers waiting.
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const [agentReport, customerReport] = await Promise.all([
    run(agentProc, { ...common, role: "agents", agents }),
    run(customerProc, { ...common, role: "customers", customers: CUSTOMERS }),
  ]);
  lag.disable();
  console.log(`event loop delay of the app  p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms  p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms  max ${(lag.max / 1e6).toFixed(1)} ms`);
  agentProc.kill();
  customerProc.kill();

  const toAgent = percentiles(agentReport.latencies);
  const toCustomer = percentiles(customerReport.latencies);
  const all = percentiles([...agentReport.latencies, ...customerReport.latencies]);
  const assign = percentiles(customerReport.assignment);
  const assigned = await db.chat.count({ where: { status: "ACTIVE" } });
  const fmt = (p: ReturnType<typeof percentiles>) => `p50 ${p.p50.toFixed(1)} ms  p95 ${p.p95.toFixed(1)} ms  p99 ${p.p99.toFixed(1)} ms  (n=${p.n})`;
  console.log(`chats started / assigned     ${customerReport.started} / ${assigned}`);
  console.log(`assignment (start → joined)  ${fmt(assign)}`);
  console.log(`customer → agent message     ${fmt(toAgent)}`);
  console.log(`agent → customer message     ${fmt(toCustomer)}`);
  console.log(`all messages                 ${fmt(all)}`);
  console.log(`messages sent                customers ${customerReport.sent}, agents ${agentReport.sent}`);
  console.log(`lost messages                ${customerReport.sent - agentReport.received + (agentReport.sent - customerReport.received)}`);
  console.log(`errors                       customers ${customerReport.errors.length}, agents ${agentReport.errors.length}${[...customerReport.errors, ...agentReport.errors].slice(0, 3).map((e) => `\n  ${e}`).join("")}`);
  for (const [name, xs] of serverTimes) {
    const p = percentiles(xs);
    console.log(`server ${name.padEnd(24)} n=${p.n}  p50 ${p.p50.toFixed(1)} ms  p95 ${p.p95.toFixed(1)} ms`);
  }
  const mine = await db.chat.findFirstOrThrow({ where: { status: "ACTIVE", assigneeId: agents[0]!.id }, select: { id: true } });
  const lastVisitor = await db.chatMessage.findFirst({ where: { chatId: mine.id, kind: "VISITOR" }, orderBy: { id: "desc" }, select: { id: true } });
  const cookie0 = agents[0]!.cookie;
  await (await import("./chat-cost")).printCallCosts(base, () => statements, [
    { label: "chat.overview (all chats)", path: "chat.overview", type: "query", input: () => ({}), cookie: cookie0 },
    { label: "chat.get", path: "chat.get", type: "query", input: () => ({ id: mine.id }), cookie: cookie0 },
    { label: "chat.send", path: "chat.send", type: "mutation", input: (i) => ({ id: mine.id, body: `cost ${i}` }), cookie: cookie0 },
    { label: "chat.seen", path: "chat.seen", type: "mutation", input: () => ({ id: mine.id, upToId: lastVisitor?.id ?? 1 }), cookie: cookie0 },
  ]);
  if (process.env.BENCH_SQL_LOG) (await import("node:fs")).writeFileSync(process.env.BENCH_SQL_LOG, [...sqlSeen].map(([k, v]) => `## ${k}\n${v.slice(0, 60).join("\n")}`).join("\n\n"));
  server.close();
  realtime.child.kill("SIGTERM");
  await db.$disconnect();
  await pg.stop();
}
