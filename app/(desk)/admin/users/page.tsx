import { requirePermission } from "@/lib/auth/guard";
import { UsersAdmin } from "@/components/admin/users-admin";

export default async function Page() {
  const user = await requirePermission("admin.users");
  return <UsersAdmin currentUserId={user.id} />;
}
