import { requirePermission } from "@/lib/auth/guard";
import { ContactFormAdmin } from "@/components/admin/contact-form-admin";

export default async function Page() {
  await requirePermission("admin.brands");
  return <ContactFormAdmin />;
}
