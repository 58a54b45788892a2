/**
 * The benchmark database: a persistent embedded PostgreSQL under .data/bench-postgres
 * (or BENCH_DATABASE_URL), kept between `npm run bench:seed` and `npm run bench`.
 */
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/embedded-pg.mjs";
import { deploy } from "../db-migrate";

/** Benchmarks need valid configuration but no real secrets. */
export function benchEnv(url: string) {
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-00";
  process.env.RELAYDESK_SECRET_KEY ??= "33".repeat(32);
  process.env.PUSHER_SECRET ??= "bench-pusher-secret";
  process.env.PUSHER_PORT ??= "1"; // nothing listens: publishing fails fast and is logged once
}

export async function benchDatabase() {
  if (process.env.BENCH_DATABASE_URL) {
    await deploy(process.env.BENCH_DATABASE_URL);
    benchEnv(process.env.BENCH_DATABASE_URL);
    return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  }
  const root = path.resolve(import.meta.dirname, "../..");
  const server = await startEmbeddedPostgres({ dir: path.join(root, ".data/bench-postgres"), port: 54339, persistent: true });
  await server.createDatabase("relaydesk_bench");
  const url = server.url("relaydesk_bench");
  await deploy(url);
  benchEnv(url);
  return { url, stop: () => server.stop() };
}
