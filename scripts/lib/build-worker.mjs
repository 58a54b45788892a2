// The worker as one plain-JavaScript file (packages stay in node_modules): started
// without a TypeScript loader it needs about 80 MB less memory and starts faster.
// `node scripts/lib/build-worker.mjs` builds it; stack.mjs builds it with the web app.
import { buildSync } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(import.meta.dirname, "../..");
export const WORKER_BUNDLE = path.join(root, ".data/build/worker.mjs");
/**
 * How the bundle is started. Its jobs are I/O-bound, so it trades a little GC parallelism for
 * memory: a small young generation, two V8 helper threads, and (WORKER_ENV) two malloc arenas
 * instead of one per thread — together about 35 MB less resident memory at idle.
 */
export const WORKER_NODE_ARGS = ["--conditions=react-server", "--max-semi-space-size=1", "--v8-pool-size=2"];
export const WORKER_ENV = { MALLOC_ARENA_MAX: "2" };

export function buildWorker() {
  buildSync({
    entryPoints: [path.join(root, "workers/index.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: WORKER_BUNDLE,
    packages: "external",
    alias: { "@": root },
    conditions: ["react-server"],
    logLevel: "warning",
    absWorkingDir: root,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildWorker();
