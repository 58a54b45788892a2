import "server-only";
import type { Tx } from "@/lib/db";
import { isPermission, type Permission } from "@/lib/auth/permissions";

export type CurrentUser = {
  id: string;
  email: string;
  name: string;
  language: string;
  roleName: string;
  permissions: Permission[];
  /** Brands this user may work in: all with brands.all, else through their groups. */
  brandIds: string[];
  agentStatus: string;
  agentStatusAt: Date;
};

/**
 * Loads the signed-in user fresh from the database on every request, so a
 * deactivation, role change or password change takes effect on the next request.
 */
export async function loadCurrentUser(db: Tx, userId: string, sessionVersion: number): Promise<CurrentUser | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      language: true,
      active: true,
      sessionVersion: true,
      agentStatus: true,
      agentStatusAt: true,
      role: { select: { name: true, permissions: true } },
      groups: { select: { group: { select: { brands: { select: { brandId: true } } } } } },
    },
  });
  if (!user || !user.active || user.sessionVersion !== sessionVersion) return null;
  const permissions = user.role.permissions.filter(isPermission);
  const brandIds = permissions.includes("brands.all")
    ? (await db.brand.findMany({ select: { id: true }, orderBy: { name: "asc" } })).map((b) => b.id)
    : [...new Set(user.groups.flatMap((g) => g.group.brands.map((b) => b.brandId)))];
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    language: user.language,
    roleName: user.role.name,
    permissions,
    brandIds,
    agentStatus: user.agentStatus,
    agentStatusAt: user.agentStatusAt,
  };
}
