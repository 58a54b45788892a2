import { requirePermission } from "@/lib/auth/guard";
import { CatalogAdmin } from "@/components/admin/catalog-admin";

export default async function Page() {
  await requirePermission("admin.settings");
  return <CatalogAdmin />;
}
