import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { conflict, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { tagIds } from "@/lib/tickets/tags";
import { rebuildCustomerSearchVectors } from "@/lib/tickets/search";

/** Customers are visible to an agent through tickets or chats of their brands. */
async function assertVisible(db: Db, user: CurrentUser, customerId: string) {
  const seen = await db.customer.findFirst({
    where: { id: customerId, OR: [{ tickets: { some: { brandId: { in: user.brandIds } } } }, { chats: { some: { brandId: { in: user.brandIds } } } }] },
    select: { id: true },
  });
  if (!seen) throw notFound("The customer");
}

export async function updateCustomer(
  db: Db,
  user: CurrentUser,
  input: { customerId: string; name?: string | null; email?: string | null; phone?: string | null; organisation?: string | null; language?: string | null; tags?: string[]; attributes?: Record<string, string> },
) {
  await assertVisible(db, user, input.customerId);
  try {
    await db.$transaction(async (tx) => {
      const before = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId }, select: { name: true, email: true } });
      const after = await tx.customer.update({
        where: { id: input.customerId },
        data: { name: input.name, email: input.email === undefined ? undefined : input.email?.toLowerCase() || null, phone: input.phone, organisation: input.organisation, language: input.language, attributes: input.attributes },
        select: { name: true, email: true },
      });
      // Their tickets are found by the requester's name and address: the old ones must stop matching.
      if (after.name !== before.name || after.email !== before.email) await rebuildCustomerSearchVectors(tx, input.customerId);
      if (input.tags) {
        const tags = await tagIds(tx, input.tags);
        await tx.customerTag.deleteMany({ where: { customerId: input.customerId } });
        await tx.customerTag.createMany({ data: tags.map((t) => ({ customerId: input.customerId, tagId: t.id })) });
      }
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("Another customer already has this email address.", "email");
    throw e;
  }
}

export type CustomerHit = { id: string; name: string | null; email: string | null };

/**
 * Customers to pick from (a new ticket's requester): a name or one of its words, or an address,
 * starting with what was typed, among those the agent sees through their brands' tickets or chats.
 */
export async function searchCustomers(db: Db, user: CurrentUser, input: { q: string; limit: number }): Promise<CustomerHit[]> {
  const term = input.q.trim();
  if (!term || !user.brandIds.length) return [];
  // Typed % and _ are literal characters, not LIKE wildcards.
  const prefix = term.replace(/[\\%_]/g, (c) => `\\${c}`) + "%";
  return db.$queryRaw<CustomerHit[]>`
    SELECT c.id, c.name, c.email FROM "Customer" c
    WHERE (c.name ILIKE ${prefix} OR c.name ILIKE ${"% " + prefix} OR c.email LIKE lower(${prefix}))
      AND (EXISTS (SELECT 1 FROM "Ticket" t WHERE t."customerId" = c.id AND t."brandId" = ANY(${user.brandIds}::text[]))
        OR EXISTS (SELECT 1 FROM "Chat" ch WHERE ch."customerId" = c.id AND ch."brandId" = ANY(${user.brandIds}::text[])))
    ORDER BY (c.email = lower(${term})) DESC, c.name NULLS LAST, c.email
    LIMIT ${input.limit}`;
}
