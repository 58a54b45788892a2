import { getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { Card, PageHeader } from "@/components/ui/misc";

export default async function ReportsPage() {
  const user = await requirePermission("reports.view");
  const brandId = await selectedBrandId(user);
  const t = await getTranslations("reports");
  const ts = await getTranslations("ticket");
  const byStatus = await db.ticket.groupBy({
    by: ["status"],
    where: { state: "ACTIVE", brandId: brandId ? brandId : { in: user.brandIds } },
    _count: { _all: true },
  });
  const order = ["OPEN", "PENDING", "RESOLVED", "CLOSED"] as const;
  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("overviewDescription")} />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="status-counts">
        {order.map((s) => (
          <Card key={s} className="p-4">
            <div className="text-xs text-gray-500">{ts(`status.${s}`)}</div>
            <div className="mt-1 text-2xl font-semibold">{byStatus.find((b) => b.status === s)?._count._all ?? 0}</div>
          </Card>
        ))}
      </div>
    </div>
  );
}
