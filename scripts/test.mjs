// npm test — the whole suite, from a fresh clone: installs what is missing
// (npm packages; chromium and dovecot-imapd via apt when root), then typecheck,
// lint, Vitest (unit + integration against a throwaway PostgreSQL), and Playwright
// against a production build with the worker and realtime server running.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Like spawnSync, but keeps this process's event loop running: the supervised web,
 * worker and realtime children are piped through it and restarted by it while the
 * suites run (a realtime restart is part of the end-to-end suite).
 */
function spawnAsync(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, opts);
    child.on("error", (error) => resolve({ status: 1, error }));
    child.on("exit", (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), signal }));
  });
}

const root = path.resolve(import.meta.dirname, "..");
const t0 = Date.now();
// `npm test -- --e2e [spec…]` skips typecheck, lint and Vitest and runs only the
// given Playwright specs (all when none are named) — for working on one screen.
const argv = process.argv.slice(2);
const e2eOnly = argv[0] === "--e2e";
const e2eSpecs = e2eOnly ? argv.slice(1) : [];
const timings = [];
const step = async (name, fn) => {
  const s = Date.now();
  console.log(`\n\x1b[1m▶ ${name}\x1b[0m`);
  const r = await fn();
  timings.push([name, (Date.now() - s) / 1000]);
  return r;
};

if (!existsSync(path.join(root, "node_modules", ".package-lock.json"))) {
  console.log("Installing dependencies (npm install)…");
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const stack = await import("./lib/stack.mjs");
const { ensureSystemPackages } = await import("./lib/system-packages.mjs");
const { startEmbeddedPostgres, freePort } = await import("./lib/embedded-pg.mjs");
const pg = (await import("pg")).default;
const bin = (p) => path.join(root, "node_modules", ".bin", p);

let server = null;
let group = null;
let tmp = null;
let exitCode = 0;
const counts = { passed: 0, failed: 0 };

async function cleanup() {
  await group?.stop().catch(() => {});
  await server?.stop().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
process.on("SIGINT", () => cleanup().then(() => process.exit(130)));
process.on("SIGTERM", () => cleanup().then(() => process.exit(143)));

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

try {
  await step("System packages", async () => {
    try {
      await ensureSystemPackages();
    } catch (e) {
      throw new Error(`Missing system packages (chromium, dovecot-imapd). Install them with:\n  ${e.message}`, { cause: e });
    }
  });
  await step("Prisma client", () => stack.ensurePrismaClient());
  if (!e2eOnly) {
    await step("Typecheck (tsc --noEmit)", () => stack.run(bin("tsc"), ["--noEmit", "-p", "."]));
    await step("Lint (eslint)", () => stack.run(bin("eslint"), ["--max-warnings", "0", "."]));
    await step("Chat widget size (≤ 15 KB gzipped)", () => stack.run(process.execPath, ["scripts/check-widget-size.mjs"]));
  }

  tmp = mkdtempSync(path.join(os.tmpdir(), "relaydesk-test-"));
  chmodSync(tmp, 0o755); // initdb runs as an unprivileged user when we are root

  let base;
  await step("PostgreSQL", async () => {
    if (process.env.TEST_DATABASE_URL) {
      const u = new URL(process.env.TEST_DATABASE_URL);
      u.pathname = "/";
      base = u.toString();
    } else {
      server = await startEmbeddedPostgres({ dir: path.join(tmp, "pg"), persistent: false, ownSignals: true });
      base = server.url("");
    }
    const admin = new pg.Client({ connectionString: base + "postgres" });
    await admin.connect();
    for (const db of ["rd_template", "rd_e2e"]) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "rd_template"`);
    stack.migrate({ DATABASE_URL: base + "rd_template" });
    await admin.query(`CREATE DATABASE "rd_e2e" TEMPLATE "rd_template"`);
    await admin.end();
  });

  const unitReport = path.join(tmp, "vitest.json");
  if (!e2eOnly) await step("Vitest (unit + integration)", async () => {
    const r = await spawnAsync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${unitReport}`], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, TEST_PG_BASE: base, NODE_OPTIONS: "--max-old-space-size=4096" },
    });
    const report = readJson(unitReport);
    if (report) {
      counts.passed += report.numPassedTests;
      counts.failed += report.numFailedTests;
    }
    if (r.status !== 0) {
      exitCode = 1;
      if (!report) counts.failed += 1;
    }
  });

  const port = await freePort();
  const realtimePort = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const env = {
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: base + "rd_e2e",
    APP_URL: appUrl,
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0000000",
    RELAYDESK_SECRET_KEY: "22".repeat(32),
    PUSHER_APP_ID: "relaydesk",
    PUSHER_KEY: "relaydesk-key",
    PUSHER_SECRET: "e2e-pusher-secret",
    PUSHER_HOST: "127.0.0.1",
    PUSHER_PORT: String(realtimePort),
    LOG_LEVEL: "warn",
  };

  await step("Seed the end-to-end database", () => stack.seed(env));
  await step("Production build (next build)", () => stack.buildIfChanged(env));
  await step("Start web + worker + realtime", async () => {
    group = stack.superviseGroup(stack.processSpecs(env, { port, realtimePort }).map((s) => ({ ...s, quiet: s.name === "web" })));
    await stack.waitForHealth(appUrl, 90_000);
  });

  const e2eReport = path.join(tmp, "playwright.json");
  await step("Playwright (end to end, Chromium)", async () => {
    const r = await spawnAsync(bin("playwright"), ["test", ...e2eSpecs], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, ...env, E2E_BASE_URL: appUrl, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
    });
    const report = readJson(e2eReport);
    if (report?.stats) {
      counts.passed += report.stats.expected + (report.stats.flaky ?? 0);
      counts.failed += report.stats.unexpected;
    }
    if (r.status !== 0) {
      exitCode = 1;
      if (!report) counts.failed += 1;
    }
  });
} catch (e) {
  console.error(`\n\x1b[31m✗ ${e.message}\x1b[0m`);
  exitCode = e.exitCode || 1;
  counts.failed += 1;
} finally {
  await cleanup();
}

console.log("\nTimings:");
for (const [name, s] of timings) console.log(`  ${s.toFixed(1).padStart(7)} s  ${name}`);
console.log(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s  total`);
console.log(`\n${counts.passed} passed, ${counts.failed} failed`);
process.exit(exitCode);
