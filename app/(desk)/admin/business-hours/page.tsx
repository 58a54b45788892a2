import { requirePermission } from "@/lib/auth/guard";
import { BusinessHoursAdmin } from "@/components/admin/business-hours-admin";

export default async function Page() {
  await requirePermission("admin.settings");
  return <BusinessHoursAdmin />;
}
