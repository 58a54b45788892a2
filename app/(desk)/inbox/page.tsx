import { getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { listTickets } from "@/lib/tickets/list";
import { TicketList } from "@/components/inbox/ticket-list";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("inbox") };
}

export default async function InboxPage() {
  const user = await requirePermission("tickets.view");
  const brandId = await selectedBrandId(user);
  const t = await getTranslations("inbox");
  const first = await listTickets(db, { brandIds: brandId ? [brandId] : user.brandIds, state: "ACTIVE", limit: 50 });
  return (
    <div className="p-6">
      <h1 className="mb-4 text-xl font-semibold">{t("title")}</h1>
      <TicketList initial={first} brandId={brandId} />
    </div>
  );
}
