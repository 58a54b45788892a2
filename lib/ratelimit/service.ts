import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * The counting statement, also usable as a CTE by a write that must happen only when
 * allowed. `when`: an SQL condition; while it is false nothing is counted (no row returned).
 */
export function countHit(key: string, windowSeconds: number, when?: Prisma.Sql) {
  return Prisma.sql`
    INSERT INTO "RateLimitBucket" (key, count, "resetAt") SELECT ${key}, 1, now() + make_interval(secs => ${windowSeconds})${when ? Prisma.sql` WHERE ${when}` : Prisma.empty}
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN 1 ELSE "RateLimitBucket".count + 1 END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN now() + make_interval(secs => ${windowSeconds}) ELSE "RateLimitBucket"."resetAt" END
    RETURNING count, "resetAt"`;
}

export const retryAfter = (resetAt: Date) => Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));

/**
 * Fixed-window counter in PostgreSQL, atomic across replicas. Returns whether this hit is
 * allowed and, when not, when the window resets.
 */
export async function hit(db: Tx, key: string, limit: number, windowSeconds: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const rows = await db.$queryRaw<{ count: number; resetAt: Date }[]>(countHit(key, windowSeconds));
  const r = rows[0]!;
  return { allowed: r.count <= limit, retryAfterSeconds: retryAfter(r.resetAt) };
}
