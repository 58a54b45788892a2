"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Dialog } from "@/components/admin/dialog";
import { Badge } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/react";
import { CHAT_STATUS_COLOR, type ChatDetail } from "@/components/chat/types";

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-[6.5rem_1fr] gap-2 py-0.5">
      <dt className="text-gray-500">{label}</dt>
      <dd className="min-w-0 break-words text-gray-900" data-testid={testId}>{children}</dd>
    </div>
  );
}

const Heading = ({ children }: { children: ReactNode }) => <h3 className="mt-5 mb-1.5 text-xs font-medium tracking-wide text-gray-400 uppercase">{children}</h3>;

/** C9: who the visitor is, where they have been, and the ban switch. */
export function VisitorPanel({ detail }: { detail: ChatDetail }) {
  const t = useTranslations("chats.panel");
  const ts = useTranslations("chats.statusValue");
  const format = useFormatter();
  const v = detail.visitor;
  const [confirm, setConfirm] = useState(false);
  const trpc = useTRPC();
  const qc = useQueryClient();
  const ban = useMutation(
    trpc.chat.ban.mutationOptions({
      onSuccess: (r) => {
        setConfirm(false);
        qc.setQueryData(trpc.chat.get.queryKey({ id: detail.id }), (old) => (old ? { ...old, visitor: { ...old.visitor, banned: r.banned } } : old));
        toast.success(r.banned ? t("banned") : t("unbanned"));
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const device = [v.browser, v.os].filter(Boolean).join(" · ");
  return (
    <aside className="w-72 shrink-0 overflow-y-auto border-l border-gray-200 bg-white p-4 text-sm" aria-label={t("label")} data-testid="chat-customer-panel">
      <h2 className="text-xs font-medium tracking-wide text-gray-400 uppercase">{t("visitor")}</h2>
      <div className="mt-2 flex items-center gap-2">
        <span className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-gray-100 text-sm font-semibold text-gray-600" aria-hidden>
          {(v.name ?? v.email ?? "?").slice(0, 1).toUpperCase()}
        </span>
        <div className="min-w-0">
          <div className="truncate font-medium text-gray-900" data-testid="chat-visitor-name">{v.name ?? t("anonymous")}</div>
          {v.email ? (
            <a href={`mailto:${v.email}`} className="block truncate text-indigo-600 hover:underline" data-testid="chat-visitor-email">{v.email}</a>
          ) : (
            <div className="text-gray-400">{t("noEmail")}</div>
          )}
        </div>
      </div>
      {v.banned && <div className="mt-2"><Badge color="red">{t("bannedBadge")}</Badge></div>}
      <dl className="mt-3">
        <Row label={t("ip")}><span className="font-mono text-xs">{v.ip ?? "—"}</span></Row>
        <Row label={t("device")}>{device || "—"}</Row>
        <Row label={t("firstSeen")}>{when(v.firstSeenAt)}</Row>
        <Row label={t("lastSeen")}>{when(v.lastSeenAt)}</Row>
        <Row label={t("chats")} testId="chat-visitor-chat-count">{v.chatCount}</Row>
      </dl>

      <Heading>{t("pages")}</Heading>
      {v.pages.length ? (
        <ol className="space-y-1" data-testid="chat-visitor-pages">
          {v.pages.map((p, i) => (
            <li key={`${p.at}-${i}`} className="flex gap-2">
              <time className="w-11 shrink-0 text-xs text-gray-400 tabular-nums" dateTime={p.at} title={when(p.at)}>
                {format.dateTime(new Date(p.at), { timeStyle: "short" })}
              </time>
              <a href={/^https?:/i.test(p.url) ? p.url : undefined} target="_blank" rel="noopener noreferrer nofollow" className="min-w-0 flex-1 truncate text-gray-700 hover:text-indigo-600 hover:underline" title={p.url}>
                {p.title || p.url}
              </a>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-gray-400">{t("none")}</p>
      )}

      <Heading>{t("thisChat")}</Heading>
      <dl>
        <Row label={t("status")}><Badge color={CHAT_STATUS_COLOR[detail.status]}>{ts(detail.status)}</Badge></Row>
        <Row label={t("agent")}>{detail.assignee?.name ?? "—"}</Row>
        {detail.group && <Row label={t("group")}>{detail.group.name}</Row>}
        <Row label={t("topic")}>{detail.topic?.name ?? "—"}</Row>
        <Row label={t("started")}>{when(detail.queuedAt)}</Row>
        {detail.endedAt && <Row label={t("ended")}>{when(detail.endedAt)}</Row>}
        {detail.rating !== null && (
          <Row label={t("rating")}>
            <span className="text-amber-500" aria-label={t("ratingValue", { rating: detail.rating })}>{"★".repeat(detail.rating)}<span className="text-gray-300">{"★".repeat(Math.max(0, 5 - detail.rating))}</span></span>
            {detail.ratingComment && <p className="mt-0.5 text-gray-600 italic">“{detail.ratingComment}”</p>}
          </Row>
        )}
        {detail.ticketNumber !== null && (
          <Row label={t("ticket")}>
            <Link href={`/tickets/${detail.ticketNumber}`} className="text-indigo-600 hover:underline">#{detail.ticketNumber}</Link>
          </Row>
        )}
      </dl>

      <div className="mt-6 border-t border-gray-100 pt-3">
        <Button size="sm" variant={v.banned ? "secondary" : "ghost"} className={v.banned ? "" : "-ml-2 text-red-700 hover:bg-red-50"} onClick={() => setConfirm(true)} data-testid="chat-ban">
          {v.banned ? t("unban") : t("ban")}
        </Button>
      </div>
      <Dialog open={confirm} onClose={() => setConfirm(false)} title={v.banned ? t("unbanTitle") : t("banTitle")}>
        <p className="text-sm text-gray-700">{v.banned ? t("unbanBody", { name: v.name ?? v.ip ?? t("anonymous") }) : t("banBody", { name: v.name ?? v.ip ?? t("anonymous") })}</p>
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirm(false)}>{t("cancel")}</Button>
          <Button variant={v.banned ? "primary" : "danger"} loading={ban.isPending} onClick={() => ban.mutate({ visitorId: v.id, banned: !v.banned })} data-testid="chat-ban-confirm">
            {v.banned ? t("unban") : t("ban")}
          </Button>
        </div>
      </Dialog>
    </aside>
  );
}

export function VisitorPanelSkeleton() {
  return (
    <aside className="w-72 shrink-0 border-l border-gray-200 bg-white p-4" aria-busy="true">
      <div className="h-3 w-16 animate-pulse rounded bg-gray-200" />
      <div className="mt-3 flex items-center gap-2">
        <div className="h-8 w-8 animate-pulse rounded-full bg-gray-200" />
        <div className="flex-1 space-y-1.5">
          <div className="h-3 w-2/3 animate-pulse rounded bg-gray-200" />
          <div className="h-3 w-1/2 animate-pulse rounded bg-gray-100" />
        </div>
      </div>
      <div className="mt-5 space-y-2">
        {[1, 2, 3, 4, 5].map((i) => <div key={i} className="h-3 animate-pulse rounded bg-gray-100" />)}
      </div>
    </aside>
  );
}
