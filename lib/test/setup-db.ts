/**
 * Per test file: a fresh database cloned from the migrated template, and the
 * configuration the app needs. Runs before the file's modules are imported, so
 * lib/env and lib/db see this database.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";

const base = process.env.TEST_PG_BASE;
process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret-000";
process.env.RELAYDESK_SECRET_KEY ??= "11".repeat(32);
process.env.PUSHER_SECRET ??= "test-pusher-secret";
process.env.APP_URL ??= "http://localhost:3999";

if (base) {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base + "postgres" });
  await admin.connect();
  // Copying a template needs it to be idle: test files starting together take turns.
  await admin.query("SELECT pg_advisory_lock(4242)");
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE rd_template`);
  } finally {
    await admin.query("SELECT pg_advisory_unlock(4242)");
    await admin.end();
  }
  process.env.DATABASE_URL = base + name;
  // What a process keeps from its database belongs to the database before this one.
  for (const kept of ["relaydeskDb", "relaydeskKeptConfig", "relaydeskFormConfigs"]) delete (globalThis as Record<string, unknown>)[kept];

  afterAll(async () => {
    const g = globalThis as { relaydeskDb?: { $disconnect(): Promise<void> } };
    await g.relaydeskDb?.$disconnect();
    await (globalThis as { relaydeskKeptConfig?: { client: { end(): Promise<void> } | null } }).relaydeskKeptConfig?.client?.end().catch(() => {});
    const c = new pg.Client({ connectionString: base + "postgres" });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });
}
