import { requirePermission } from "@/lib/auth/guard";
import { SlaAdmin } from "@/components/admin/sla-admin";

export default async function Page() {
  await requirePermission("admin.settings");
  return <SlaAdmin />;
}
