import { requirePermission } from "@/lib/auth/guard";
import { TemplatesAdmin } from "@/components/mail-admin/templates-admin";

export default async function Page() {
  await requirePermission("admin.settings");
  return <TemplatesAdmin />;
}
