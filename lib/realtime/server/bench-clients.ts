/**
 * Child process of bench.ts: many pusher-js clients, kept out of the server's
 * process so their CPU and memory do not pollute the server's figures.
 * Talks to the parent over IPC only.
 */
import PusherClient from "pusher-js";

export interface BenchClientConfig {
  port: number;
  key: string;
  clients: number;
  channels: number;
}

export type ParentMessage = { type: "start"; config: BenchClientConfig } | { type: "report" } | { type: "exit" };

export type ChildMessage =
  | { type: "ready"; connectTotalMs: number; connectP50Ms: number; connectP95Ms: number; failed: number }
  | {
      type: "report";
      received: number;
      latencyP50Ms: number;
      latencyP95Ms: number;
      latencyP99Ms: number;
      latencyMaxMs: number;
      disconnects: number;
      clientRssMb: number;
    };

/** Clients connect in waves: a thousand simultaneous handshakes measures the accept queue, not the server. */
const WAVE = 50;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

async function run(config: BenchClientConfig): Promise<void> {
  const clients: PusherClient[] = [];
  const connectMs: number[] = [];
  const latencies: number[] = [];
  let received = 0;
  let disconnects = 0;
  let failed = 0;

  const connectOne = (i: number) =>
    new Promise<void>((resolve) => {
      const started = now();
      const c = new PusherClient(config.key, {
        cluster: "local",
        wsHost: "127.0.0.1",
        wsPort: config.port,
        forceTLS: false,
        enabledTransports: ["ws"],
        disableStats: true,
      });
      clients.push(c);
      const channel = c.subscribe(`bench-${i % config.channels}`);
      channel.bind("tick", (data: { sentAt: number }) => {
        latencies.push(now() - data.sentAt);
        received++;
      });
      channel.bind("pusher:subscription_succeeded", () => {
        connectMs.push(now() - started);
        resolve();
      });
      channel.bind("pusher:subscription_error", () => {
        failed++;
        resolve();
      });
      c.connection.bind("state_change", ({ previous, current }: { previous: string; current: string }) => {
        if (previous === "connected" && current !== "connected") disconnects++;
      });
    });

  const t0 = now();
  for (let i = 0; i < config.clients; i += WAVE) {
    await Promise.all(Array.from({ length: Math.min(WAVE, config.clients - i) }, (_, j) => connectOne(i + j)));
  }
  const connectTotalMs = now() - t0;
  connectMs.sort((a, b) => a - b);
  send({
    type: "ready",
    connectTotalMs,
    connectP50Ms: percentile(connectMs, 50),
    connectP95Ms: percentile(connectMs, 95),
    failed,
  });

  process.on("message", (msg: ParentMessage) => {
    if (msg.type === "report") {
      const sorted = Float64Array.from(latencies).sort();
      send({
        type: "report",
        received,
        latencyP50Ms: percentile(sorted, 50),
        latencyP95Ms: percentile(sorted, 95),
        latencyP99Ms: percentile(sorted, 99),
        latencyMaxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
        disconnects,
        clientRssMb: process.memoryUsage().rss / 2 ** 20,
      });
    } else if (msg.type === "exit") {
      for (const c of clients) c.disconnect();
      setTimeout(() => process.exit(0), 200);
    }
  });
}

process.once("message", (msg: ParentMessage) => {
  if (msg.type === "start") {
    run(msg.config).catch((e: unknown) => {
      console.error("bench-clients failed:", e);
      process.exit(1);
    });
  }
});
process.on("disconnect", () => process.exit(0));
