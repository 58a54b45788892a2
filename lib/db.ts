import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
/** A client or an interactive transaction: domain services accept either. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(connectionString: string, max = env.DATABASE_POOL_SIZE): Db {
  // Columns are UTC timestamps without a zone: SQL that writes now() must see UTC whatever the server's default.
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max, options: "-c TimeZone=UTC" }) });
}

const globalForDb = globalThis as unknown as { relaydeskDb?: Db };

/** One pool per process (Next dev reloads modules; the global keeps it single). */
export const db: Db = globalForDb.relaydeskDb ?? createDb(env.DATABASE_URL);
globalForDb.relaydeskDb = db;
