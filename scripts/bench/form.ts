/**
 * npm run bench form [url] — contact-form submissions per second through HTTP: plain
 * multipart posts to /c/acme/submit from CONCURRENCY clients for SECONDS.
 *
 * Without a url it starts its own desk: a throwaway database on the bench PostgreSQL
 * (migrated, demo seed with the default rules, as quickstart makes it), the realtime
 * server, and the production build (`next start`; built first when the sources changed
 * since the last build, as quickstart and npm test do). No worker runs: email delivery
 * happens later in the worker and is not part of the figure. With a url it measures that
 * running instance instead (e.g. http://localhost:3000 after `npm run quickstart`).
 *
 * Every post is a new customer from its own address, so the per-email and per-IP
 * limits (which trust X-Forwarded-For from the proxy in front) do not throttle it.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../lib/embedded-pg.mjs";
import { deploy } from "../db-migrate";
import { cpuSeconds, percentiles } from "./stats";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const root = path.resolve(import.meta.dirname, "../..");

/** The desk on a throwaway database: web (production build) and realtime; stop() removes it all. */
async function startDesk() {
  const server = await startEmbeddedPostgres({ dir: path.join(root, ".data/bench-postgres"), port: 54339, persistent: true });
  const name = `relaydesk_form_${Date.now().toString(36)}`;
  await server.createDatabase(name);
  const url = server.socketUrl(name); // as quickstart connects
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.error(e));
    const admin = new pg.Client({ connectionString: server.url("postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  };
  try {
    await deploy(url);
    const APP = { id: "formbench", key: "formbench-key", secret: "formbench-secret-000" };
    const { startRealtimeServer } = await import("@/lib/realtime/server");
    const realtime = await startRealtimeServer({ port: 0, apps: [APP], logger: () => undefined });
    stops.push(() => realtime.close());
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const env = {
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: url,
      APP_URL: appUrl,
      NEXTAUTH_URL: appUrl,
      NEXTAUTH_SECRET: "form-bench-secret-form-bench-secret-0000",
      RELAYDESK_SECRET_KEY: "55".repeat(32),
      PUSHER_APP_ID: APP.id,
      PUSHER_KEY: APP.key,
      PUSHER_SECRET: APP.secret,
      PUSHER_HOST: "127.0.0.1",
      PUSHER_PORT: String(realtime.port),
      LOG_LEVEL: "warn",
    };
    // The demo seed with the default rules, as quickstart seeds a new desk.
    const node = (args: string[], extra: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env, ...extra } });
      if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status ?? r.signal}`);
    };
    node(["--conditions=react-server", "--import", "tsx", "prisma/seed.ts"]);
    node(["--input-type=module", "-e", "const s = await import('./scripts/lib/stack.mjs'); s.buildIfChanged(process.env);"]);
    // BENCH_PROFILE=<dir>: the web process writes a V8 CPU profile there when it stops.
    const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
    const web = spawn(process.execPath, [...profile, "node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env: { ...process.env, ...env, NODE_ENV: "production", PORT: String(port) }, stdio: ["ignore", "ignore", "inherit"] });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          if (web.exitCode !== null || web.signalCode) return resolve();
          web.once("exit", () => resolve());
          web.kill("SIGTERM");
        }),
    );
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`${appUrl}/c/acme`).then((r) => r.ok, () => false);
      if (ok) break;
      if (web.exitCode !== null || Date.now() > deadline) throw new Error("the web app did not start");
      await new Promise((r) => setTimeout(r, 300));
    }
    const postmaster = Number(readFileSync(path.join(root, ".data/bench-postgres/postmaster.pid"), "utf8").split("\n")[0]);
    return { base: appUrl, stop, cpu: () => ({ web: cpuSeconds(web.pid!), database: cpuSeconds(postmaster), bench: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage()) }) };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function load(base: string, label: string, secondsToRun: number) {
  const run = `${Date.now().toString(36)}${label}`;
  let n = 0;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const deadline = performance.now() + secondsToRun * 1000;
  const t0 = performance.now();
  const client = async () => {
    while (performance.now() < deadline) {
      const i = n++;
      const fd = new FormData();
      fd.set("name", `Bench Customer ${i}`);
      fd.set("email", `bench-${run}-${i}@example.com`);
      fd.set("subject", `Benchmark request ${i}`);
      fd.set("message", "I would like to know the status of my order. ".repeat(8));
      fd.set("website", "");
      const t = performance.now();
      try {
        const res = await fetch(`${base}/c/acme/submit?lang=en`, { method: "POST", body: fd, redirect: "manual", headers: { "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } });
        await res.arrayBuffer();
        const location = res.headers.get("location") ?? "";
        if (res.status === 303 && /[?&]done=\d+/.test(location)) latencies.push(performance.now() - t);
        else {
          const state = /[?&]state=([^&]+)/.exec(location)?.[1];
          const why = state ? Buffer.from(decodeURIComponent(state), "base64url").toString("utf8").slice(0, 120) : location.slice(0, 60);
          failures.set(`HTTP ${res.status} ${why}`, (failures.get(`HTTP ${res.status} ${why}`) ?? 0) + 1);
        }
      } catch (e) {
        const k = e instanceof Error ? e.message : String(e);
        failures.set(k, (failures.get(k) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { latencies, failures, elapsed: (performance.now() - t0) / 1000 };
}

export async function benchForm() {
  const given = process.argv[3];
  const desk = given ? null : await startDesk();
  const base = (given ?? desk!.base).replace(/\/$/, "");
  try {
    // Warm-up: route compilation on first use, JIT, connection pools, caches.
    await load(base, "warm", 3);
    const cpu0 = desk?.cpu();
    const { latencies, failures, elapsed } = await load(base, "", seconds);
    const cpu1 = desk?.cpu();
    const p = percentiles(latencies);
    console.log(`Contact form on ${given ? base : `its own desk (production build, throwaway database, ${base})`}: ${concurrency} concurrent clients for ${seconds} s, after a 3 s warm-up`);
    console.log(`tickets created          ${latencies.length} (${(latencies.length / elapsed).toFixed(1)} submissions/s; target ≥ 100/s)`);
    console.log(`latency                  p50 ${p.p50.toFixed(0)} ms  p95 ${p.p95.toFixed(0)} ms  p99 ${p.p99.toFixed(0)} ms`);
    if (cpu0 && cpu1 && latencies.length) {
      const per = (a: number, b: number) => (((b - a) * 1000) / latencies.length).toFixed(1);
      console.log(`CPU per submission       web ${per(cpu0.web, cpu1.web)} ms, database ${per(cpu0.database, cpu1.database)} ms, this process (clients and realtime server) ${per(cpu0.bench, cpu1.bench)} ms (machine: ${(await import("node:os")).cpus().length} cores, load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)})`);
    }
    console.log(`failed                   ${[...failures].map(([k, v]) => `${k} ×${v}`).join(", ") || "0"}`);
  } finally {
    await desk?.stop();
  }
}
