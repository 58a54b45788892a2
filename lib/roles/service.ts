import "server-only";
import type { Db } from "@/lib/db";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { isPermission } from "@/lib/auth/permissions";
import { Prisma } from "@/lib/generated/prisma/client";

export async function listRoles(db: Db) {
  return db.role.findMany({
    orderBy: [{ builtIn: { sort: "asc", nulls: "last" } }, { name: "asc" }],
    select: { id: true, name: true, builtIn: true, permissions: true, _count: { select: { users: true } } },
  });
}

function cleanPermissions(perms: string[]) {
  const bad = perms.filter((p) => !isPermission(p));
  if (bad.length) throw badRequest(`Unknown permission: ${bad.join(", ")}`, "permissions");
  return [...new Set(perms)];
}

export async function createRole(db: Db, input: { name: string; permissions: string[] }) {
  try {
    return await db.role.create({ data: { name: input.name.trim(), permissions: cleanPermissions(input.permissions) }, select: { id: true } });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("A role with this name already exists.", "name");
    throw e;
  }
}

export async function updateRole(db: Db, input: { roleId: string; name?: string; permissions?: string[] }) {
  const role = await db.role.findUnique({ where: { id: input.roleId }, select: { builtIn: true } });
  if (!role) throw notFound("The role");
  // Built-in roles keep their permissions so an admin can never lock everyone out.
  if (role.builtIn && input.permissions) throw badRequest("Built-in roles cannot be changed. Create a custom role instead.");
  try {
    return await db.role.update({
      where: { id: input.roleId },
      data: { name: input.name?.trim(), permissions: input.permissions ? cleanPermissions(input.permissions) : undefined },
      select: { id: true },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("A role with this name already exists.", "name");
    throw e;
  }
}

export async function deleteRole(db: Db, input: { roleId: string }) {
  const role = await db.role.findUnique({ where: { id: input.roleId }, select: { builtIn: true, _count: { select: { users: true } } } });
  if (!role) throw notFound("The role");
  if (role.builtIn) throw badRequest("Built-in roles cannot be deleted.");
  if (role._count.users > 0) throw badRequest("Move this role's users to another role first.");
  await db.role.delete({ where: { id: input.roleId } });
}
