import { requirePermission } from "@/lib/auth/guard";
import { RulesAdmin } from "@/components/admin/rules-admin";

export default async function Page() {
  await requirePermission("admin.automations");
  return <RulesAdmin />;
}
