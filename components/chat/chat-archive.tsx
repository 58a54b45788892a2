"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type ReactNode } from "react";
import { Alert, Badge, Card, EmptyState } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { useTRPC } from "@/lib/trpc/react";
import { ChatTabs } from "@/components/chat/chat-tabs";
import { useChatDeskEvents } from "@/components/chat/use-chat-realtime";
import { formatElapsed } from "@/components/chat/use-now";
import { CHAT_STATUS_COLOR, type ChatOptions } from "@/components/chat/types";

export type ArchiveFilters = { group: string; agent: string; topic: string; from: string; to: string };
const EMPTY: ArchiveFilters = { group: "", agent: "", topic: "", from: "", to: "" };

const control = "block h-8 rounded-md border-0 py-1 pr-8 pl-2 text-sm text-gray-900 ring-1 ring-gray-300 ring-inset focus:ring-2 focus:ring-indigo-600";

function Filter({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-0.5 text-xs text-gray-500">
      {label}
      {children}
    </label>
  );
}

/** C6: resolved and missed chats with the tawk.to columns; filters live in the URL. */
export function ChatArchive({ brandId, options, initialFilters }: { brandId: string | null; options: ChatOptions; initialFilters: ArchiveFilters }) {
  const t = useTranslations("chats");
  const ta = useTranslations("chats.archive");
  const tu = useTranslations("chats.units");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const [f, setF] = useState<ArchiveFilters>(initialFilters);
  useChatDeskEvents();

  const apply = (next: ArchiveFilters) => {
    setF(next);
    const qs = new URLSearchParams(Object.entries(next).filter(([, v]) => v) as [string, string][]).toString();
    window.history.replaceState(null, "", qs ? `/chats/archive?${qs}` : "/chats/archive");
  };
  const set = (k: keyof ArchiveFilters) => (e: { target: { value: string } }) => apply({ ...f, [k]: e.target.value });

  const input = {
    brandId: brandId ?? undefined,
    groupId: f.group || undefined,
    agentId: f.agent || undefined,
    topicId: f.topic || undefined,
    from: f.from || undefined,
    to: f.to || undefined,
  };
  const badRange = !!f.from && !!f.to && f.from > f.to;
  const q = useInfiniteQuery(
    trpc.chat.archive.infiniteQueryOptions(input, {
      getNextPageParam: (p) => p.nextCursor ?? undefined,
      placeholderData: (prev) => prev,
      enabled: !badRange,
    }),
  );
  const rows = useMemo(() => q.data?.pages.flatMap((p) => p.rows) ?? [], [q.data]);
  const units = { d: tu("d"), h: tu("h"), m: tu("m"), s: tu("s") };
  const filtered = Object.values(f).some(Boolean);

  return (
    <div className="flex h-full flex-col">
      <h1 className="sr-only">{ta("title")}</h1>
      <div className="flex h-11 shrink-0 items-center gap-6 border-b border-gray-200 bg-white px-4">
        <ChatTabs current="archive" />
      </div>
      <div className="min-h-0 flex-1 overflow-auto p-4">
        <form className="mb-3 flex flex-wrap items-end gap-3" role="search" aria-label={ta("filters")} onSubmit={(e) => e.preventDefault()}>
          <Filter label={ta("group")}>
            <select value={f.group} onChange={set("group")} className={control} data-testid="archive-filter-group">
              <option value="">{ta("all")}</option>
              {options.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </Filter>
          <Filter label={ta("agent")}>
            <select value={f.agent} onChange={set("agent")} className={control} data-testid="archive-filter-agent">
              <option value="">{ta("all")}</option>
              {options.agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </Filter>
          <Filter label={ta("topic")}>
            <select value={f.topic} onChange={set("topic")} className={control} data-testid="archive-filter-topic">
              <option value="">{ta("all")}</option>
              {options.topics.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          </Filter>
          <Filter label={ta("from")}>
            <input type="date" value={f.from} max={f.to || undefined} onChange={set("from")} className={cn(control, "pr-2")} data-testid="archive-filter-from" />
          </Filter>
          <Filter label={ta("to")}>
            <input type="date" value={f.to} min={f.from || undefined} onChange={set("to")} className={cn(control, "pr-2")} data-testid="archive-filter-to" />
          </Filter>
          {filtered && (
            <Button type="button" variant="ghost" size="sm" className="h-8" onClick={() => apply(EMPTY)} data-testid="archive-clear">
              {ta("clear")}
            </Button>
          )}
          <span className="ml-auto self-center text-xs text-gray-400" aria-live="polite">{q.isFetching && !q.isFetchingNextPage ? ta("loading") : ""}</span>
        </form>
        {badRange && <div className="mb-3"><Alert>{ta("badRange")}</Alert></div>}
        <Card className="overflow-hidden">
          <table className="w-full text-sm" data-testid="archive-table">
            <thead className="border-b border-gray-200 bg-gray-50 text-left text-xs text-gray-500">
              <tr>
                <th scope="col" className="w-16 px-3 py-2 font-medium">#</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("visitor")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("agent")}</th>
                <th scope="col" className="px-3 py-2 font-medium">{t("topic")}</th>
                <th scope="col" className="w-20 px-3 py-2 text-right font-medium">{t("messages")}</th>
                <th scope="col" className="w-24 px-3 py-2 text-right font-medium">{t("duration")}</th>
                <th scope="col" className="w-24 px-3 py-2 font-medium">{t("rating")}</th>
                <th scope="col" className="w-24 px-3 py-2 font-medium">{t("status")}</th>
                <th scope="col" className="w-32 px-3 py-2 text-right font-medium">{t("updated")}</th>
              </tr>
            </thead>
            <tbody className={cn("divide-y divide-gray-100", q.isPlaceholderData && "opacity-60")}>
              {q.isPending && !badRange
                ? Array.from({ length: 8 }, (_, i) => (
                    <tr key={i} className="h-10" aria-hidden>
                      <td colSpan={9} className="px-3"><div className="h-3 w-2/3 animate-pulse rounded bg-gray-100" /></td>
                    </tr>
                  ))
                : rows.map((r) => (
                    <tr
                      key={r.id}
                      className="h-10 cursor-pointer hover:bg-gray-50"
                      data-testid="archive-row"
                      data-chat-id={r.id}
                      onClick={(e) => {
                        if ((e.target as HTMLElement).closest("a")) return;
                        router.push(`/chats/${r.id}`);
                      }}
                    >
                      <td className="px-3 text-gray-500 tabular-nums">
                        <Link href={`/chats/${r.id}`} className="hover:text-indigo-600 hover:underline">{r.id}</Link>
                      </td>
                      <td className="max-w-[14rem] truncate px-3 text-gray-900">
                        <Link href={`/chats/${r.id}`} className="hover:underline">{r.visitorName}</Link>
                      </td>
                      <td className="max-w-[10rem] truncate px-3 text-gray-700">{r.agent ?? "—"}</td>
                      <td className="max-w-[10rem] truncate px-3 text-gray-700">{r.topic ?? "—"}</td>
                      <td className="px-3 text-right tabular-nums">{r.messages}</td>
                      <td className="px-3 text-right text-gray-700 tabular-nums">{r.durationSeconds === null ? "—" : formatElapsed(r.durationSeconds, units)}</td>
                      <td className="px-3">
                        {r.rating ? (
                          <span className="text-amber-500" aria-label={ta("ratingValue", { rating: r.rating })}>
                            {"★".repeat(r.rating)}
                            <span className="text-gray-200">{"★".repeat(Math.max(0, 5 - r.rating))}</span>
                          </span>
                        ) : (
                          <span className="text-gray-400">—</span>
                        )}
                      </td>
                      <td className="px-3"><Badge color={CHAT_STATUS_COLOR[r.status]}>{t(`statusValue.${r.status}`)}</Badge></td>
                      <td className="px-3 text-right text-xs text-gray-500">
                        <time dateTime={r.updatedAt} title={format.dateTime(new Date(r.updatedAt), { dateStyle: "medium", timeStyle: "short" })}>
                          {format.relativeTime(new Date(r.updatedAt))}
                        </time>
                      </td>
                    </tr>
                  ))}
            </tbody>
          </table>
          {q.isError && <div className="p-3"><Alert>{q.error.message}</Alert></div>}
          {!q.isPending && !q.isError && !rows.length && <EmptyState title={filtered ? ta("emptyFiltered") : t("empty")} description={filtered ? ta("emptyFilteredBody") : undefined} />}
          {q.hasNextPage && (
            <div className="border-t border-gray-100 p-3 text-center">
              <Button variant="secondary" size="sm" onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="archive-load-more">
                {ta("loadMore")}
              </Button>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}
