import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { ChatCockpit } from "@/components/reports/chat-cockpit";

export default async function CockpitPage() {
  const user = await requirePermission("reports.view");
  const brandId = await selectedBrandId(user);
  return <ChatCockpit brandId={brandId ?? undefined} brandIds={brandId ? [brandId] : user.brandIds} />;
}
