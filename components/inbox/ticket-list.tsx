"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Mail, MessageSquare, FileText, Headset } from "lucide-react";
import { Badge, Card, EmptyState } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/lib/trpc/root";

type Page = inferRouterOutputs<AppRouter>["tickets"]["list"];
const CHANNEL_ICON = { EMAIL: Mail, CHAT: MessageSquare, FORM: FileText, AGENT: Headset } as const;
const STATUS_COLOR = { OPEN: "blue", PENDING: "yellow", RESOLVED: "green", CLOSED: "gray" } as const;
const PRIORITY_COLOR = { LOWEST: "gray", LOW: "gray", MEDIUM: "indigo", HIGH: "yellow", HIGHEST: "red" } as const;

export function TicketList({ initial, brandId }: { initial: Page; brandId: string | null }) {
  const t = useTranslations("inbox");
  const ts = useTranslations("ticket");
  const format = useFormatter();
  const trpc = useTRPC();
  const q = useInfiniteQuery(
    trpc.tickets.list.infiniteQueryOptions(
      { state: "ACTIVE", brandId: brandId ?? undefined, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor, initialData: { pages: [initial], pageParams: [null] } },
    ),
  );
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (!items.length) return <Card><EmptyState title={t("emptyTitle")} description={t("emptyBody")} /></Card>;
  return (
    <Card>
      <ul className="divide-y divide-gray-100" data-testid="ticket-list">
        {items.map((tk) => {
          const Icon = CHANNEL_ICON[tk.channel];
          return (
            <li key={tk.id} className="flex items-center gap-3 px-4 py-2.5 text-sm hover:bg-gray-50" data-testid="ticket-row">
              <Icon className="h-4 w-4 shrink-0 text-gray-400" aria-label={ts(`channel.${tk.channel}`)} />
              <span className="w-40 shrink-0 truncate font-medium">{tk.customer.name ?? tk.customer.email}</span>
              <span className="min-w-0 flex-1 truncate">
                <span className="text-gray-900">
                  #{tk.number} {tk.subject}
                </span>
                <span className="text-gray-400"> — {tk.snippet}</span>
              </span>
              {tk.tags.slice(0, 2).map((tag) => (
                <Badge key={tag}>{tag}</Badge>
              ))}
              <Badge color={STATUS_COLOR[tk.status]}>{ts(`status.${tk.status}`)}</Badge>
              <Badge color={PRIORITY_COLOR[tk.priority]}>{ts(`priority.${tk.priority}`)}</Badge>
              <span className="w-28 shrink-0 truncate text-gray-500">{tk.assignee?.name ?? t("unassigned")}</span>
              <span className="w-8 shrink-0 text-right text-xs text-gray-400" title={t("messages")}>
                {tk.messageCount}
              </span>
              <time className="w-24 shrink-0 text-right text-xs text-gray-500" dateTime={new Date(tk.updatedAt).toISOString()}>
                {format.relativeTime(new Date(tk.updatedAt))}
              </time>
            </li>
          );
        })}
      </ul>
      {q.hasNextPage && (
        <div className="border-t border-gray-100 p-3 text-center">
          <Button variant="secondary" size="sm" onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
            {t("loadMore")}
          </Button>
        </div>
      )}
    </Card>
  );
}
