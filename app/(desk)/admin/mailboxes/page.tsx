import { requirePermission } from "@/lib/auth/guard";
import { MailboxesAdmin } from "@/components/mail-admin/mailboxes-admin";

export default async function Page() {
  await requirePermission("admin.mailboxes");
  return <MailboxesAdmin />;
}
