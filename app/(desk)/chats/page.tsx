import { getFormatter, getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/misc";

export default async function ChatsPage() {
  const user = await requirePermission("chats.answer");
  const brandId = await selectedBrandId(user);
  const t = await getTranslations("chats");
  const format = await getFormatter();
  const chats = await db.chat.findMany({
    where: { brandId: brandId ? brandId : { in: user.brandIds } },
    orderBy: { updatedAt: "desc" },
    take: 100,
    select: { id: true, status: true, messageCount: true, rating: true, updatedAt: true, queuedAt: true, resolvedAt: true, visitor: { select: { name: true, email: true } }, assignee: { select: { name: true } }, topic: { select: { name: true } } },
  });
  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("archiveDescription")} />
      <Card>
        {chats.length === 0 ? (
          <EmptyState title={t("empty")} />
        ) : (
          <table className="w-full text-sm" data-testid="chat-table">
            <thead className="border-b border-gray-200 text-left text-xs text-gray-500">
              <tr>
                <th className="px-4 py-2 font-medium">#</th>
                <th className="px-4 py-2 font-medium">{t("visitor")}</th>
                <th className="px-4 py-2 font-medium">{t("agent")}</th>
                <th className="px-4 py-2 font-medium">{t("topic")}</th>
                <th className="px-4 py-2 font-medium">{t("messages")}</th>
                <th className="px-4 py-2 font-medium">{t("duration")}</th>
                <th className="px-4 py-2 font-medium">{t("rating")}</th>
                <th className="px-4 py-2 font-medium">{t("status")}</th>
                <th className="px-4 py-2 font-medium">{t("updated")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {chats.map((c) => (
                <tr key={c.id}>
                  <td className="px-4 py-2 text-gray-500">{c.id}</td>
                  <td className="px-4 py-2">{c.visitor.name ?? c.visitor.email ?? "—"}</td>
                  <td className="px-4 py-2">{c.assignee?.name ?? "—"}</td>
                  <td className="px-4 py-2">{c.topic?.name ?? "—"}</td>
                  <td className="px-4 py-2">{c.messageCount}</td>
                  <td className="px-4 py-2">{c.resolvedAt ? `${Math.round((c.resolvedAt.getTime() - c.queuedAt.getTime()) / 60000)} min` : "—"}</td>
                  <td className="px-4 py-2">{c.rating ? "★".repeat(c.rating) : "—"}</td>
                  <td className="px-4 py-2">
                    <Badge color={c.status === "RESOLVED" ? "green" : c.status === "QUEUED" ? "yellow" : "blue"}>{t(`statusValue.${c.status}`)}</Badge>
                  </td>
                  <td className="px-4 py-2 text-gray-500">{format.relativeTime(c.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
