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

type UserRow = {
  id: string;
  email: string;
  name: string;
  language: string;
  active: boolean;
  sessionVersion: number;
  agentStatus: string;
  agentStatusAt: Date;
  roleName: string;
  permissions: string[];
  brandIds: string[] | null;
};

/**
 * Loads the signed-in user fresh from the database on every request, so a
 * deactivation, role change or password change takes effect on the next request.
 * One statement: it runs before every procedure and realtime subscription.
 */
export async function loadCurrentUser(db: Tx, userId: string, sessionVersion: number): Promise<CurrentUser | null> {
  const [user] = await db.$queryRaw<UserRow[]>`
    SELECT u.id, u.email, u.name, u.language, u.active, u."sessionVersion", u."agentStatus"::text AS "agentStatus", u."agentStatusAt",
      r.name AS "roleName", r.permissions,
      CASE WHEN 'brands.all' = ANY (r.permissions)
        THEN ARRAY(SELECT b.id FROM "Brand" b ORDER BY b.name)
        ELSE ARRAY(SELECT DISTINCT gb."brandId" FROM "GroupMember" gm JOIN "GroupBrand" gb ON gb."groupId" = gm."groupId" WHERE gm."userId" = u.id)
      END AS "brandIds"
    FROM "User" u JOIN "Role" r ON r.id = u."roleId"
    WHERE u.id = ${userId}`;
  if (!user || !user.active || user.sessionVersion !== sessionVersion) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    language: user.language,
    roleName: user.roleName,
    permissions: user.permissions.filter(isPermission),
    brandIds: user.brandIds ?? [],
    agentStatus: user.agentStatus,
    agentStatusAt: user.agentStatusAt,
  };
}
