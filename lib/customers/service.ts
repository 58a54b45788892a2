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
  input: { customerId: string; name?: string | null; email?: string | null; phone?: string | null; organisation?: string | null; language?: string | null; tags?: string[] },
) {
  await assertVisible(db, user, input.customerId);
  try {
    await db.$transaction(async (tx) => {
      const before = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId }, select: { name: true, email: true } });
      const after = await tx.customer.update({
        where: { id: input.customerId },
        data: { name: input.name, email: input.email === undefined ? undefined : input.email?.toLowerCase() || null, phone: input.phone, organisation: input.organisation, language: input.language },
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
