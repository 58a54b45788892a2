import { requirePermission } from "@/lib/auth/guard";
import { GroupsAdmin } from "@/components/admin/groups-admin";

export default async function Page() {
  const user = await requirePermission("admin.groups");
  return <GroupsAdmin currentUserId={user.id} />;
}
