import { requirePermission } from "@/lib/auth/guard";
import { RolesAdmin } from "@/components/admin/roles-admin";

export default async function Page() {
  const user = await requirePermission("admin.roles");
  return <RolesAdmin currentUserId={user.id} />;
}
