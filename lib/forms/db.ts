import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** Distinct statement texts that get a name; later ones run unnamed, as everywhere else. */
export const MAX_NAMED_STATEMENTS = 100;
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
  const name = `rd_form_${++named}`;
  if (same) same.push({ sql, name });
  else byLength.set(sql.length, [{ sql, name }]);
  return name;
}

let client: Db | undefined;

/**
 * The contact form's own connections, whose statements are prepared once per connection
 * (named) instead of parsed and planned on every run: a submission runs the same few long
 * statements every time, and PostgreSQL spends about a third less CPU on it. The desk's
 * pool keeps unnamed statements (its are many and varied, and each prepared one stays
 * in the server's memory for the connection's life). Half of DATABASE_POOL_SIZE more
 * connections per process at most, opened on the first submission and closed when idle.
 */
export function formDb(): Db {
  client ??= new PrismaClient({
    adapter: new PrismaPg(
      // Columns are UTC timestamps without a zone: SQL that writes now() must see UTC whatever the server's default (as lib/db).
      { connectionString: env.DATABASE_URL, max: Math.ceil(env.DATABASE_POOL_SIZE / 2), options: "-c TimeZone=UTC" },
      { statementNameGenerator: (query) => statementName(query.sql) },
    ),
  });
  return client;
}
