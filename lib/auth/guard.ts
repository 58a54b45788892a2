import "server-only";
import { forbidden } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { hasPermission, type Permission } from "@/lib/auth/permissions";

/** For pages: signed in and holding the permission, else Next's 403 page. */
export async function requirePermission(permission: Permission) {
  const user = await requireUser();
  if (!hasPermission(user.permissions, permission)) forbidden();
  return user;
}
