// Pieces shared by `npm run quickstart` and `npm test`: install, generate, migrate,
// seed, build when sources changed, and run web + worker + realtime as one group.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildWorker, WORKER_BUNDLE, WORKER_ENV, WORKER_NODE_ARGS } from "./build-worker.mjs";

export const root = path.resolve(import.meta.dirname, "../..");
const NODE = process.execPath;
const TSX = ["--import", "tsx"];

export function log(msg) {
  process.stdout.write(`\x1b[36m[relaydesk]\x1b[0m ${msg}\n`);
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts, env: { ...process.env, ...opts.env } });
  if (r.status !== 0) {
    const err = new Error(`${[cmd, ...args].join(" ")} exited with ${r.status ?? r.signal}`);
    err.exitCode = r.status ?? 1;
    throw err;
  }
}

function hashFiles(entries) {
  const h = createHash("sha256");
  const walk = (p) => {
    const abs = path.join(root, p);
    if (!existsSync(abs)) return;
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (name === "node_modules" || name.startsWith(".") || name === "__fixtures__") continue;
        walk(path.join(p, name));
      }
    } else if (!/\.(test|spec)\.tsx?$/.test(p)) {
      h.update(p);
      h.update(readFileSync(abs));
    }
  };
  entries.forEach(walk);
  return h.digest("hex");
}

const statePath = () => path.join(root, ".data", "state.json");
function readState() {
  try {
    return JSON.parse(readFileSync(statePath(), "utf8"));
  } catch {
    return {};
  }
}
function writeState(patch) {
  mkdirSync(path.dirname(statePath()), { recursive: true });
  writeFileSync(statePath(), JSON.stringify({ ...readState(), ...patch }, null, 2));
}

/**
 * npm install when node_modules is missing or older than the lock file.
 * `justInstalled`: the caller ran npm install a moment ago (before it could import us).
 */
export function ensureDependencies({ justInstalled = false } = {}) {
  const lockHash = hashFiles(["package-lock.json", "package.json"]);
  const installed = existsSync(path.join(root, "node_modules", ".package-lock.json"));
  if (installed && (justInstalled || readState().lockHash === lockHash)) return writeState({ lockHash });
  log("Installing dependencies (npm install)…");
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeState({ lockHash });
}

export function ensurePrismaClient() {
  const schemaHash = hashFiles(["prisma/schema.prisma", "package-lock.json"]);
  if (existsSync(path.join(root, "lib/generated/prisma/client.ts")) && readState().schemaHash === schemaHash) return;
  log("Generating the Prisma client…");
  run(NODE, ["scripts/prisma-generate.mjs"]);
  writeState({ schemaHash });
}

/** Secrets created once per installation and kept under .data/ (never committed). */
export function installationSecrets() {
  const file = path.join(root, ".data", "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  mkdirSync(path.dirname(file), { recursive: true });
  const secrets = {
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    RELAYDESK_SECRET_KEY: randomBytes(32).toString("hex"),
    PUSHER_SECRET: randomBytes(24).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function migrate(env) {
  run(NODE, [...TSX, "scripts/db-migrate.ts", "deploy"], { env });
}

export function seed(env) {
  run(NODE, ["--conditions=react-server", ...TSX, "prisma/seed.ts"], { env });
}

const BUILD_INPUTS = ["app", "components", "lib", "messages", "i18n", "public", "workers", "prisma/schema.prisma", "next.config.mjs", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

/** `next build` only when something that goes into the build changed since the last one. */
export function buildIfChanged(env, { force = false } = {}) {
  const sourceHash = hashFiles(BUILD_INPUTS);
  if (!force && existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(WORKER_BUNDLE) && readState().sourceHash === sourceHash) {
    log("Build is up to date.");
    return false;
  }
  log("Building the web app (next build)…");
  run(NODE, ["node_modules/next/dist/bin/next", "build"], { env: { ...env, NODE_ENV: "production" } });
  log("Bundling the worker (esbuild)…");
  buildWorker();
  writeState({ sourceHash });
  return true;
}

/**
 * Runs the processes as one supervised group: a child that dies is restarted with
 * backoff; stop() sends SIGTERM to all and waits for them (SIGKILL after a grace period).
 */
export function superviseGroup(specs, { onOutput } = {}) {
  const children = new Map();
  let stopping = false;
  const start = (spec, attempt = 0) => {
    const child = spawn(spec.cmd, spec.args, { cwd: root, env: { ...process.env, ...spec.env }, stdio: ["ignore", "pipe", "pipe"] });
    const prefix = `\x1b[2m[${spec.name}]\x1b[0m `;
    const pipe = (stream, out) => {
      let buf = "";
      stream.on("data", (d) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          onOutput?.(spec.name, line);
          if (!spec.quiet) out.write(prefix + line + "\n");
        }
      });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    const startedAt = Date.now();
    child.on("exit", (code, signal) => {
      children.delete(spec.name);
      if (stopping) return;
      const next = Date.now() - startedAt > 30_000 ? 0 : attempt + 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(next, 5));
      log(`${spec.name} exited (${code ?? signal}); restarting in ${Math.round(delay / 1000)} s`);
      setTimeout(() => !stopping && start(spec, next), delay);
    });
    children.set(spec.name, child);
  };
  specs.forEach((s) => start(s));
  return {
    async stop(graceMs = 15_000) {
      stopping = true;
      const waits = [...children.values()].map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode) return resolve();
            const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
            child.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      );
      await Promise.all(waits);
    },
  };
}

/** PUSHER_HOST names another machine (Pusher, or a Soketi elsewhere): no built-in realtime server here. */
export const externalRealtime = (host) => Boolean(host) && !["127.0.0.1", "localhost", "::1", "0.0.0.0"].includes(host);

export function processSpecs(env, { port, realtimePort }) {
  const specs = [
    { name: "web", cmd: NODE, args: ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "0.0.0.0"], env: { ...env, NODE_ENV: "production", PORT: String(port) } },
    existsSync(WORKER_BUNDLE)
      ? { name: "worker", cmd: NODE, args: [...WORKER_NODE_ARGS, WORKER_BUNDLE], env: { ...env, ...WORKER_ENV, NODE_ENV: "production" } }
      : { name: "worker", cmd: NODE, args: ["--conditions=react-server", ...TSX, "workers/index.ts"], env: { ...env, NODE_ENV: "production" } },
  ];
  if (!externalRealtime(env.PUSHER_HOST) && existsSync(path.join(root, "workers/realtime.ts"))) {
    specs.push({ name: "realtime", cmd: NODE, args: [...TSX, "workers/realtime.ts"], env: { ...env, PUSHER_PORT: String(realtimePort) } });
  }
  return specs;
}

export async function waitForHealth(url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return await res.json();
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The app did not become healthy within ${timeoutMs / 1000} s: ${last}`);
}
