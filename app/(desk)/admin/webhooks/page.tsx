import { requirePermission } from "@/lib/auth/guard";
import { WebhooksAdmin } from "@/components/admin/webhooks-admin";

export default async function Page() {
  await requirePermission("admin.automations");
  return <WebhooksAdmin />;
}
