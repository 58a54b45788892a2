import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";

type CustomerInput = { id?: string; email?: string | null; name?: string | null; language?: string | null };

/** A customer id like the ones Prisma makes (for a customer created inside a larger statement). */
const newCustomerId = () => `c${randomUUID().replace(/-/g, "").slice(0, 24)}`;

export type CustomerRow = { id: string; email: string | null; name: string | null; language: string | null; blocked: boolean };

/**
 * The customer as a CTE "c" (id, email, name, language, blocked) inside a caller's statement
 * (a new ticket's, a new chat's): by id; or found by email (case-insensitively),
 * a missing name filled; or created (when another transaction has just created the same
 * address, the insert's conflict takes theirs); or created without an address.
 */
export function customerCte(input: CustomerInput, now: Date): Prisma.Sql {
  const name = input.name ?? null;
  const language = input.language ?? null;
  if (input.id) return Prisma.sql`c AS (SELECT id, email, name, language, blocked FROM "Customer" WHERE id = ${input.id})`;
  const email = input.email?.trim().toLowerCase() || null;
  if (!email) {
    return Prisma.sql`c AS (INSERT INTO "Customer" (id, name, language, "updatedAt") VALUES (${newCustomerId()}, ${name}::text, ${language}::text, ${now}::timestamp(3)) RETURNING id, email, name, language, blocked)`;
  }
  return Prisma.sql`cs AS (SELECT id, email, name, language, blocked FROM "Customer" WHERE email = ${email}),
    ci AS (
      INSERT INTO "Customer" (id, email, name, language, "updatedAt")
      SELECT ${newCustomerId()}, ${email}, ${name}::text, ${language}::text, ${now}::timestamp(3) WHERE NOT EXISTS (SELECT 1 FROM cs)
      ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
      RETURNING id, email, name, language, blocked),
    cu AS (UPDATE "Customer" SET name = ${name}::text, "updatedAt" = ${now}::timestamp(3) WHERE id = (SELECT id FROM cs) AND name IS NULL AND ${name}::text IS NOT NULL),
    c AS (SELECT id, email, coalesce(name, ${name}::text) AS name, language, blocked FROM cs UNION ALL SELECT id, email, name, language, blocked FROM ci)`;
}
