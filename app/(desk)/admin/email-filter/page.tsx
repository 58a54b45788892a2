import { requirePermission } from "@/lib/auth/guard";
import { BlocklistAdmin } from "@/components/mail-admin/blocklist-admin";

export default async function Page() {
  await requirePermission("admin.mailboxes");
  return <BlocklistAdmin />;
}
