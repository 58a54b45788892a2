import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** Distinct statement texts that get a name; later ones run unnamed, as everywhere else. */
export const MAX_NAMED_STATEMENTS = 200;
// Looked up by length, then compared: a statement's text is built anew for every run, and
// hashing a few kilobytes each time (as a Map keyed by the text would) costs more.
const byLength = new Map<number, { sql: string; name: string }[]>();
let named = 0;

/**
 * The prepared-statement name of a statement text ("" for none: unnamed). A connection
 * keeps what it has prepared for as long as it lives, so the names are few and fixed:
 * the first MAX_NAMED_STATEMENTS texts seen.
 */
export function statementName(sql: string): string {
  const same = byLength.get(sql.length);
  const known = same?.find((s) => s.sql === sql);
  if (known) return known.name;
  if (named >= MAX_NAMED_STATEMENTS) return "";
  const name = `rd_hot_${++named}`;
  if (same) same.push({ sql, name });
  else byLength.set(sql.length, [{ sql, name }]);
  return name;
}

const globalForHot = globalThis as unknown as { relaydeskHotDb?: Db };

/**
 * Connections for the few hot paths that run the same statements over and over — the
 * contact form's submission, the live chat's messages, read receipts, starts and lists, and
 * the session's user — whose statements are prepared once per connection (named) instead of
 * parsed and planned on every run: PostgreSQL spends about a third less CPU on a form
 * submission. The desk's pool (lib/db) keeps unnamed statements: its are many and varied
 * (filters, searches), a generic plan could suit some badly, and each prepared one stays in
 * the server's memory for the connection's life. Up to DATABASE_POOL_SIZE more connections
 * per process, opened when first needed and closed when idle.
 */
export function hotDb(): Db {
  globalForHot.relaydeskHotDb ??= new PrismaClient({
    adapter: new PrismaPg(
      // Columns are UTC timestamps without a zone: SQL that writes now() must see UTC whatever the server's default (as lib/db).
      { connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE, options: "-c TimeZone=UTC" },
      { statementNameGenerator: (query) => statementName(query.sql) },
    ),
  });
  return globalForHot.relaydeskHotDb;
}
