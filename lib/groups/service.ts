import "server-only";
import type { Db } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export async function listGroups(db: Db) {
  const groups = await db.group.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      description: true,
      chatCapacity: true,
      members: { select: { user: { select: { id: true, name: true } } } },
      brands: { select: { brand: { select: { id: true, name: true } } } },
    },
  });
  return groups.map((g) => ({ ...g, members: g.members.map((m) => m.user), brands: g.brands.map((b) => b.brand) }));
}

export type GroupInput = { name: string; description?: string | null; chatCapacity?: number | null; memberIds: string[]; brandIds: string[] };

function uniqueName(e: unknown): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("A group with this name already exists.", "name");
  throw e;
}

export async function createGroup(db: Db, input: GroupInput) {
  return db.group
    .create({
      data: {
        name: input.name.trim(),
        description: input.description ?? null,
        chatCapacity: input.chatCapacity ?? null,
        members: { create: input.memberIds.map((userId) => ({ userId })) },
        brands: { create: input.brandIds.map((brandId) => ({ brandId })) },
      },
      select: { id: true },
    })
    .catch(uniqueName);
}

export async function updateGroup(db: Db, input: GroupInput & { groupId: string }) {
  return db
    .$transaction(async (tx) => {
      const g = await tx.group.findUnique({ where: { id: input.groupId }, select: { id: true } });
      if (!g) throw notFound("The group");
      await tx.groupMember.deleteMany({ where: { groupId: input.groupId } });
      await tx.groupBrand.deleteMany({ where: { groupId: input.groupId } });
      return tx.group.update({
        where: { id: input.groupId },
        data: {
          name: input.name.trim(),
          description: input.description ?? null,
          chatCapacity: input.chatCapacity ?? null,
          members: { create: input.memberIds.map((userId) => ({ userId })) },
          brands: { create: input.brandIds.map((brandId) => ({ brandId })) },
        },
        select: { id: true },
      });
    })
    .catch(uniqueName);
}

export async function deleteGroup(db: Db, input: { groupId: string }) {
  const g = await db.group.findUnique({ where: { id: input.groupId }, select: { id: true } });
  if (!g) throw notFound("The group");
  await db.group.delete({ where: { id: input.groupId } });
}
