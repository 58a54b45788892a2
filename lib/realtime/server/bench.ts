/**
 * Load benchmark: the server in this process, N pusher-js clients in a child
 * process, events triggered through the server SDK at a fixed rate.
 *
 *   node --import tsx lib/realtime/server/bench.ts --clients 1000 --channels 100 --rate 500 --seconds 30
 *
 * Latency is trigger call → client handler, on one machine (both processes read
 * the same clock), so it includes the HTTP request and client-side queueing.
 */
import { fork, type ChildProcess } from "node:child_process";
import { Agent } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import PusherServer from "pusher";
import type { BenchClientConfig, ChildMessage, ParentMessage } from "./bench-clients";
import { startRealtimeServer } from "./index";

export interface BenchOptions {
  clients: number;
  channels: number;
  eventsPerSecond: number;
  seconds: number;
}

const APP = { id: "bench", key: "bench-key", secret: "bench-secret" };
/** Triggers allowed in flight; beyond this the trigger loop falls behind, which the report shows. */
const MAX_IN_FLIGHT = 64;
/** Time after the last trigger for deliveries still on the wire. */
const DRAIN_MS = 2_000;

function waitFor<T extends ChildMessage["type"]>(child: ChildProcess, type: T, timeoutMs: number) {
  return new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench clients: no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (msg: ChildMessage) => {
      if (msg.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(msg as Extract<ChildMessage, { type: T }>);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`bench clients exited early (code ${code})`)));
  });
}

export async function benchRealtime(opts: BenchOptions): Promise<Record<string, number>> {
  const server = await startRealtimeServer({ port: 0, apps: [APP], logger: () => undefined });
  const here = path.dirname(fileURLToPath(import.meta.url));
  const child = fork(path.join(here, "bench-clients.ts"), [], {
    execArgv: ["--import", "tsx"],
    cwd: path.resolve(here, "../../.."),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const tell = (msg: ParentMessage) => child.send(msg);
  const settledRss = async () => {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 500));
    return process.memoryUsage().rss;
  };
  const rssBeforeClients = await settledRss();

  try {
    const config: BenchClientConfig = { port: server.port, key: APP.key, clients: opts.clients, channels: opts.channels };
    tell({ type: "start", config });
    const ready = await waitFor(child, "ready", 120_000 + opts.clients * 100);
    const rssIdleClients = await settledRss();

    const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
    const api = new PusherServer({ appId: APP.id, key: APP.key, secret: APP.secret, host: "127.0.0.1", port: String(server.port), useTLS: false, agent });
    // Subscribers per channel: client i listens on channel i % channels.
    const subscribers = (ch: number) => Math.floor(opts.clients / opts.channels) + (ch < opts.clients % opts.channels ? 1 : 0);

    let sent = 0;
    let expected = 0;
    let errors = 0;
    let inFlight = 0;
    let peakRss = process.memoryUsage().rss;
    const total = Math.round(opts.eventsPerSecond * opts.seconds);
    const cpuStart = process.cpuUsage();
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * opts.eventsPerSecond));
        while (sent < due && inFlight < MAX_IN_FLIGHT) {
          const seq = sent++;
          const ch = seq % opts.channels;
          expected += subscribers(ch);
          inFlight++;
          api
            .trigger(`bench-${ch}`, "tick", { seq, sentAt: performance.timeOrigin + performance.now() })
            .catch(() => errors++)
            .finally(() => inFlight--);
        }
        if (sent >= total) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const triggerSeconds = (performance.now() - t0) / 1000;
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, DRAIN_MS));
    const cpu = process.cpuUsage(cpuStart);
    const elapsedS = (performance.now() - t0) / 1000;
    const stats = server.stats();
    tell({ type: "report" });
    const report = await waitFor(child, "report", 30_000);
    agent.destroy();

    return {
      clients: opts.clients,
      channels: opts.channels,
      targetEventsPerSecond: opts.eventsPerSecond,
      achievedEventsPerSecond: Math.round(sent / triggerSeconds),
      connectTotalMs: Math.round(ready.connectTotalMs),
      connectP50Ms: round(ready.connectP50Ms),
      connectP95Ms: round(ready.connectP95Ms),
      subscribeFailures: ready.failed,
      eventsTriggered: sent,
      triggerErrors: errors,
      deliveriesExpected: expected,
      deliveriesReceived: report.received,
      droppedEvents: expected - report.received,
      latencyP50Ms: round(report.latencyP50Ms),
      latencyP95Ms: round(report.latencyP95Ms),
      latencyP99Ms: round(report.latencyP99Ms),
      latencyMaxMs: round(report.latencyMaxMs),
      clientDisconnects: report.disconnects,
      serverConnections: stats.connections,
      serverChannels: stats.channels,
      serverRssBeforeClientsMb: round(rssBeforeClients / 2 ** 20),
      serverRssIdleClientsMb: round(rssIdleClients / 2 ** 20),
      // Server memory each idle, subscribed connection costs (RSS growth / clients).
      idleKbPerConnection: round((rssIdleClients - rssBeforeClients) / 1024 / opts.clients),
      serverRssMb: round(process.memoryUsage().rss / 2 ** 20),
      serverPeakRssMb: round(peakRss / 2 ** 20),
      // Of one core, user+system, while triggering and draining; includes the SDK's own HTTP work.
      serverCpuPercent: round(((cpu.user + cpu.system) / 1e6 / elapsedS) * 100),
      clientProcessRssMb: round(report.clientRssMb),
    };
  } finally {
    if (child.connected) tell({ type: "exit" });
    await new Promise((r) => setTimeout(r, 300));
    child.kill();
    await server.close();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = {
    clients: arg("clients", 1000),
    channels: arg("channels", 100),
    eventsPerSecond: arg("rate", 500),
    seconds: arg("seconds", 30),
  };
  console.log(`realtime bench: ${opts.clients} clients, ${opts.channels} channels, ${opts.eventsPerSecond} ev/s, ${opts.seconds} s`);
  benchRealtime(opts).then(
    (result) => {
      for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(26)} ${v}`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error("bench failed:", e);
      process.exit(1);
    },
  );
}
