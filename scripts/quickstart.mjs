// npm run quickstart — the whole product on embedded defaults, from a fresh clone.
// Needs only Node 20: installs dependencies, starts a private PostgreSQL (unless
// DATABASE_URL is set), migrates, seeds the demo desk once, builds when sources
// changed, runs web + worker + realtime, and prints where to sign in.
import { spawnSync } from "node:child_process";
import path from "node:path";

const t0 = Date.now();
const root = path.resolve(import.meta.dirname, "..");

// Dependencies first: everything below imports installed packages.
let justInstalled = false;
{
  const { existsSync } = await import("node:fs");
  if (!existsSync(path.join(root, "node_modules", ".package-lock.json"))) {
    console.log("[relaydesk] Installing dependencies (npm install)…");
    const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
    justInstalled = true;
  }
}

const stack = await import("./lib/stack.mjs");
const { startEmbeddedPostgres } = await import("./lib/embedded-pg.mjs");
const { log } = stack;

/** A port from the environment, or a clear refusal naming the variable. */
function portFrom(name, fallback) {
  const raw = process.env[name] ?? String(fallback);
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 65535) {
    console.error(`Invalid configuration, refusing to start:\n  ${name}: expected a port number from 1 to 65535, got "${raw}"`);
    process.exit(1);
  }
  return n;
}
const port = portFrom("PORT", 3000);
const realtimePort = portFrom("PUSHER_PORT", 6001);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;

// Another instance on the same ports would answer our health check and hide the clash.
const { createServer } = await import("node:net");
const portFree = (p, host) =>
  new Promise((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(p, host, () => probe.close(() => resolve(true)));
  });
const ownPorts = [[port, "0.0.0.0", "PORT"], ...(stack.externalRealtime(process.env.PUSHER_HOST) ? [] : [[realtimePort, "127.0.0.1", "PUSHER_PORT"]])];
for (const [p, host, what] of ownPorts) {
  if (!(await portFree(p, host))) {
    console.error(`Port ${p} is already in use (another Relaydesk still running?). Stop it, or choose another port with ${what}=…`);
    process.exit(1);
  }
}

stack.ensureDependencies({ justInstalled });
stack.ensurePrismaClient();
const secrets = stack.installationSecrets();

let pg = null;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  log("Starting the embedded PostgreSQL server (.data/postgres)…");
  pg = await startEmbeddedPostgres({ dir: path.join(root, ".data/postgres"), port: 54329, persistent: true, ownSignals: true });
  await pg.createDatabase("relaydesk");
  databaseUrl = pg.socketUrl("relaydesk");
}

const env = {
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: databaseUrl,
  APP_URL: appUrl,
  NEXTAUTH_URL: appUrl,
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secrets.NEXTAUTH_SECRET,
  RELAYDESK_SECRET_KEY: process.env.RELAYDESK_SECRET_KEY ?? secrets.RELAYDESK_SECRET_KEY,
  PUSHER_APP_ID: process.env.PUSHER_APP_ID ?? "relaydesk",
  PUSHER_KEY: process.env.PUSHER_KEY ?? "relaydesk-key",
  PUSHER_SECRET: process.env.PUSHER_SECRET ?? secrets.PUSHER_SECRET,
  PUSHER_HOST: process.env.PUSHER_HOST ?? "127.0.0.1",
  PUSHER_PORT: String(realtimePort),
};

let group = null;
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log("Stopping…");
  await group?.stop();
  await pg?.stop();
  log("Stopped.");
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  log("Applying database migrations…");
  stack.migrate(env);
  stack.seed(env);
  stack.buildIfChanged(env);
  group = stack.superviseGroup(stack.processSpecs(env, { port, realtimePort }));
  await stack.waitForHealth(`http://127.0.0.1:${port}`);
  const { DEMO_USERS, DEMO_PASSWORD } = await import("./lib/demo-users.mjs");
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`
  \x1b[32mRelaydesk is ready\x1b[0m (${secs} s)  →  \x1b[1m${appUrl}\x1b[0m

  Demo sign-ins (password: ${DEMO_PASSWORD})
${DEMO_USERS.map((u) => `    ${u.role.padEnd(8)} ${u.email}`).join("\n")}

  Outgoing email is captured in Admin → Message center (set SMTP_URL or RESEND_API_KEY to send for real).
  Press Ctrl-C to stop.
`);
} catch (e) {
  console.error(`\n[relaydesk] quickstart failed: ${e.message}`);
  await shutdown(1);
}
