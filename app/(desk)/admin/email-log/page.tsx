import { requirePermission } from "@/lib/auth/guard";
import { EmailLogAdmin } from "@/components/admin/email-log-admin";

export default async function Page() {
  const user = await requirePermission("admin.messages");
  return <EmailLogAdmin currentUserId={user.id} />;
}
