"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/react";

const STATUS_COLOR: Record<string, "gray" | "green" | "yellow" | "red" | "blue"> = { QUEUED: "yellow", SENDING: "yellow", SENT: "green", DELIVERED: "green", CAPTURED: "blue", FAILED: "red", RECEIVED: "gray" };

/** Message center (E10): outgoing and incoming email with status and full content. */
export function EmailLogAdmin(_: { currentUserId: string }) {
  const t = useTranslations("admin.emailLog");
  const tl = useTranslations("mailAdmin.log");
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
                {direction === "IN" && <th className="px-4 py-2 font-medium">{tl("mailbox")}</th>}
                <th className="px-4 py-2 font-medium">{direction === "IN" ? tl("action") : t("status")}</th>
                <th className="px-4 py-2 font-medium">{t("time")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {items.map((m) => (
                <tr key={m.id} className="cursor-pointer hover:bg-gray-50" onClick={() => setOpen(m.id)} data-testid="email-log-row">
                  <td className="px-4 py-2">{direction === "OUT" ? m.to.join(", ") : m.fromAddress}</td>
                  <td className="px-4 py-2">{m.subject}</td>
                  {direction === "IN" && (
                    <td className="px-4 py-2">
                      {m.mailbox && (
                        <span className="inline-flex items-center gap-1.5">
                          <span className="h-2 w-2 rounded-full" style={{ background: m.mailbox.color }} aria-hidden />
                          {m.mailbox.name}
                        </span>
                      )}
                    </td>
                  )}
                  <td className="px-4 py-2">
                    {direction === "IN" ? (
                      <IncomingAction action={m.action} number={m.ticket?.number} />
                    ) : (
                      <>
                        <Badge color={STATUS_COLOR[m.status] ?? "gray"}>{m.status}</Badge>
                        {m.ticket && (
                          <Link href={`/tickets/${m.ticket.number}`} onClick={(e) => e.stopPropagation()} className="ml-2 text-xs text-indigo-600 hover:underline">#{m.ticket.number}</Link>
                        )}
                      </>
                    )}
                    {m.error && <div className="mt-0.5 max-w-sm truncate text-xs text-red-700" title={m.error} data-testid="email-log-error">{m.error}</div>}
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

function IncomingAction({ action, number }: { action: string | null; number?: number }) {
  const tl = useTranslations("mailAdmin.log");
  if (!action) return <span className="text-gray-400">{tl("noTicket")}</span>;
  const label = tl(`actions.${action as "CREATED"}`, { number: number ? String(number) : "none" });
  const color = action === "CREATED" || action === "APPENDED" ? "green" : action === "FAILED_PARSE" || action === "REJECTED_SPAM" ? "red" : "gray";
  return (
    <span className="inline-flex items-center gap-1" data-testid="email-action">
      <Badge color={color}>{label}</Badge>
      {number && (action === "CREATED" || action === "APPENDED" || action === "BOUNCE") && (
        <Link href={`/tickets/${number}`} onClick={(e) => e.stopPropagation()} className="text-xs text-indigo-600 hover:underline" aria-label={tl("openTicket", { number })}>
          #{number}
        </Link>
      )}
    </span>
  );
}

function EmailDetail({ id }: { id: number }) {
  const t = useTranslations("admin.emailLog");
  const tl = useTranslations("mailAdmin.log");
  const format = useFormatter();
  const trpc = useTRPC();
  const q = useQuery(trpc.emailLog.get.queryOptions({ id }));
  const [view, setView] = useState<"html" | "text">("text");
  if (q.isError) return <Alert>{q.error.message}</Alert>;
  if (!q.data) return <Skeleton rows={3} />;
  const m = q.data;
  const events = Array.isArray(m.events) ? (m.events as { at: string; status: string; detail?: string }[]) : [];
  return (
    <div className="space-y-3 text-sm" data-testid="email-detail">
      <dl className="grid grid-cols-[6rem_1fr] gap-1">
        <dt className="text-gray-500">{t("from")}</dt>
        <dd className="break-all">{m.fromAddress}</dd>
        <dt className="text-gray-500">{t("to")}</dt>
        <dd className="break-all">{m.to.join(", ")}</dd>
        {m.cc.length > 0 && (
          <>
            <dt className="text-gray-500">{tl("cc")}</dt>
            <dd className="break-all">{m.cc.join(", ")}</dd>
          </>
        )}
        {m.replyTo && (
          <>
            <dt className="text-gray-500">{tl("replyTo")}</dt>
            <dd className="break-all">{m.replyTo}</dd>
          </>
        )}
        <dt className="text-gray-500">{t("subject")}</dt>
        <dd>{m.subject}</dd>
        {m.mailbox && (
          <>
            <dt className="text-gray-500">{tl("mailbox")}</dt>
            <dd>{m.mailbox.name} ({m.mailbox.address})</dd>
          </>
        )}
        {m.ticket && (
          <>
            <dt className="text-gray-500">{tl("ticket")}</dt>
            <dd>
              <Link href={`/tickets/${m.ticket.number}`} className="text-indigo-600 hover:underline">#{m.ticket.number}</Link>
            </dd>
          </>
        )}
        {m.error && (
          <>
            <dt className="text-gray-500">{tl("error")}</dt>
            <dd className="text-red-700" data-testid="email-error">{m.error}</dd>
          </>
        )}
      </dl>
      {m.html && (
        <div role="tablist" className="inline-flex rounded-md ring-1 ring-gray-300">
          {(["text", "html"] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)} className={`px-2.5 py-1 text-xs first:rounded-l-md last:rounded-r-md ${view === v ? "bg-indigo-600 text-white" : "bg-white"}`}>
              {tl(v)}
            </button>
          ))}
        </div>
      )}
      {view === "html" && m.html ? (
        <iframe title={m.subject} sandbox="" srcDoc={m.html} className="h-64 w-full rounded ring-1 ring-gray-200" />
      ) : (
        <pre className="max-h-64 overflow-auto rounded bg-gray-50 p-3 text-xs whitespace-pre-wrap" data-testid="email-text">
          {m.text}
        </pre>
      )}
      <div>
        <h3 className="mb-1 text-xs font-medium text-gray-600">{tl("history")}</h3>
        <ol className="space-y-1 text-xs text-gray-600" data-testid="email-events">
          {events.map((e, i) => (
            <li key={i}>
              {format.dateTime(new Date(e.at), { dateStyle: "short", timeStyle: "medium" })} — <strong>{e.status}</strong> {e.detail}
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
