import { requirePermission } from "@/lib/auth/guard";
import { BrandsAdmin } from "@/components/admin/brands-admin";

export default async function Page() {
  const user = await requirePermission("admin.brands");
  return <BrandsAdmin currentUserId={user.id} />;
}
