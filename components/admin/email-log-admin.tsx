"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/react";

const STATUS_COLOR: Record<string, "gray" | "green" | "yellow" | "red" | "blue"> = { QUEUED: "yellow", SENDING: "yellow", SENT: "green", DELIVERED: "green", CAPTURED: "blue", FAILED: "red", RECEIVED: "gray" };

/** Message center (E10): outgoing and incoming email with status and full content. */
export function EmailLogAdmin(_: { currentUserId: string }) {
  const t = useTranslations("admin.emailLog");
  const format = useFormatter();
  const trpc = useTRPC();
  const [direction, setDirection] = useState<"OUT" | "IN">("OUT");
  const [q, setQ] = useState("");
  const query = useDeferredValue(q);
  const [open, setOpen] = useState<number | null>(null);
  const list = useInfiniteQuery(
    trpc.emailLog.list.infiniteQueryOptions({ box: direction, q: query || undefined, limit: 50 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} />
      <div className="mb-3 flex items-center gap-3">
        <div className="inline-flex rounded-md ring-1 ring-gray-300" role="tablist">
          {(["OUT", "IN"] as const).map((d) => (
            <button key={d} role="tab" aria-selected={direction === d} onClick={() => setDirection(d)} className={`px-3 py-1.5 text-sm ${direction === d ? "bg-indigo-600 text-white" : "bg-white"} first:rounded-l-md last:rounded-r-md`}>
              {t(d === "OUT" ? "outgoing" : "incoming")}
            </button>
          ))}
        </div>
        <input type="search" placeholder={t("search")} aria-label={t("search")} value={q} onChange={(e) => setQ(e.target.value)} className="w-72 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-gray-300" />
      </div>
      <Card>
        {list.isLoading ? (
          <Skeleton />
        ) : list.isError ? (
          <div className="p-4"><Alert>{list.error.message}</Alert></div>
        ) : !items.length ? (
          <EmptyState title={t("empty")} />
        ) : (
          <table className="w-full text-sm" data-testid="email-log">
            <thead className="border-b border-gray-200 text-left text-xs text-gray-500">
              <tr>
                <th className="px-4 py-2 font-medium">{direction === "OUT" ? t("recipient") : t("sender")}</th>
                <th className="px-4 py-2 font-medium">{t("subject")}</th>
                <th className="px-4 py-2 font-medium">{t("status")}</th>
                <th className="px-4 py-2 font-medium">{t("time")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {items.map((m) => (
                <tr key={m.id} className="cursor-pointer hover:bg-gray-50" onClick={() => setOpen(m.id)} data-testid="email-log-row">
                  <td className="px-4 py-2">{direction === "OUT" ? m.to.join(", ") : m.fromAddress}</td>
                  <td className="px-4 py-2">{m.subject}</td>
                  <td className="px-4 py-2">
                    <Badge color={STATUS_COLOR[m.status] ?? "gray"}>{m.status}</Badge>
                    {m.action && <span className="ml-1 text-xs text-gray-500">{m.action}</span>}
                  </td>
                  <td className="px-4 py-2 text-gray-500">{format.dateTime(m.createdAt, { dateStyle: "short", timeStyle: "short" })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.hasNextPage && (
          <div className="border-t p-3 text-center">
            <Button size="sm" variant="secondary" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t("loadMore")}
            </Button>
          </div>
        )}
      </Card>
      <Dialog open={open !== null} onClose={() => setOpen(null)} title={t("message")}>
        {open !== null && <EmailDetail id={open} />}
      </Dialog>
    </div>
  );
}

function EmailDetail({ id }: { id: number }) {
  const t = useTranslations("admin.emailLog");
  const trpc = useTRPC();
  const q = useQuery(trpc.emailLog.get.queryOptions({ id }));
  if (!q.data) return <Skeleton rows={3} />;
  const m = q.data;
  const events = Array.isArray(m.events) ? (m.events as { at: string; status: string; detail?: string }[]) : [];
  return (
    <div className="space-y-3 text-sm" data-testid="email-detail">
      <dl className="grid grid-cols-[6rem_1fr] gap-1">
        <dt className="text-gray-500">{t("from")}</dt>
        <dd>{m.fromAddress}</dd>
        <dt className="text-gray-500">{t("to")}</dt>
        <dd>{m.to.join(", ")}</dd>
        <dt className="text-gray-500">{t("subject")}</dt>
        <dd>{m.subject}</dd>
      </dl>
      <pre className="max-h-64 overflow-auto rounded bg-gray-50 p-3 text-xs whitespace-pre-wrap" data-testid="email-text">
        {m.text}
      </pre>
      <ol className="space-y-1 text-xs text-gray-600">
        {events.map((e, i) => (
          <li key={i}>
            {new Date(e.at).toLocaleString()} — <strong>{e.status}</strong> {e.detail}
          </li>
        ))}
      </ol>
    </div>
  );
}
