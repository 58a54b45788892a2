import "server-only";
import type { Tx } from "@/lib/db";
import { badRequest } from "@/lib/errors";

/** Finds the customer by email (case-insensitively) or creates them; fills a missing name. */
export async function findOrCreateCustomer(tx: Tx, input: { id?: string; email?: string | null; name?: string | null; language?: string | null }) {
  if (input.id) {
    const c = await tx.customer.findUnique({ where: { id: input.id }, select: { id: true, email: true, name: true } });
    if (!c) throw badRequest("That customer does not exist.", "customer");
    return c;
  }
  const email = input.email?.trim().toLowerCase() || null;
  if (!email) {
    return tx.customer.create({ data: { name: input.name ?? null, language: input.language ?? null }, select: { id: true, email: true, name: true } });
  }
  const existing = await tx.customer.findUnique({ where: { email }, select: { id: true, email: true, name: true } });
  if (existing) {
    if (!existing.name && input.name) await tx.customer.update({ where: { id: existing.id }, data: { name: input.name } });
    return { ...existing, name: existing.name ?? input.name ?? null };
  }
  // Insert unless someone else just did (one statement); then theirs is the customer.
  const [created] = await tx.customer.createManyAndReturn({
    data: [{ email, name: input.name ?? null, language: input.language ?? null }],
    skipDuplicates: true,
    select: { id: true, email: true, name: true },
  });
  return created ?? tx.customer.findUniqueOrThrow({ where: { email }, select: { id: true, email: true, name: true } });
}
