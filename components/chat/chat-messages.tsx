"use client";
import { useFormatter, useTranslations } from "next-intl";
import { Fragment, useEffect, useLayoutEffect, useRef, type ReactNode } from "react";
import { Paperclip } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { ChatAttachmentView, PendingMessage } from "@/components/chat/types";

const URL_RE = /(https?:\/\/[^\s<>"')\]]+)/g;

/** Plain text with clickable http(s) links; never interpreted as HTML. */
export function Linkified({ text }: { text: string }) {
  const parts = text.split(URL_RE);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <a key={i} href={p} target="_blank" rel="noopener noreferrer nofollow" className="underline decoration-1 underline-offset-2 break-all">
            {p}
          </a>
        ) : (
          <Fragment key={i}>{p}</Fragment>
        ),
      )}
    </>
  );
}

function Attachments({ items, mine }: { items: ChatAttachmentView[]; mine: boolean }) {
  const t = useTranslations("chats.conversation");
  if (!items.length) return null;
  return (
    <ul className={cn("mt-1 flex flex-wrap gap-1.5", mine && "justify-end")} aria-label={t("attachments")}>
      {items.map((a) =>
        a.contentType.startsWith("image/") ? (
          <li key={a.id}>
            <a href={a.url} target="_blank" rel="noopener noreferrer" className="block overflow-hidden rounded-md ring-1 ring-gray-200" title={a.name} data-testid="chat-attachment">
              <img src={a.url} alt={a.name} loading="lazy" className="h-24 max-w-[12rem] object-cover" />
            </a>
          </li>
        ) : (
          <li key={a.id}>
            <a href={a.url} className="inline-flex items-center gap-1 rounded border border-gray-200 bg-white px-2 py-1 text-xs text-gray-700 hover:bg-gray-50" data-testid="chat-attachment">
              <Paperclip className="h-3 w-3" aria-hidden /> {a.name} <span className="text-gray-400">({Math.max(1, Math.round(a.size / 1024))} KB)</span>
            </a>
          </li>
        ),
      )}
    </ul>
  );
}

const GROUP_MS = 3 * 60_000;

/**
 * The transcript: visitor left, agents right, notes yellow, system lines centred.
 * Follows new messages while the reader is at the bottom; leaves them alone when scrolled up.
 */
export function ChatMessages({
  messages,
  typing,
  loading,
  footer,
  visitorName,
}: {
  messages: PendingMessage[];
  /** Shown on the visitor's messages when they gave a name. */
  visitorName?: string | null;
  typing: { name: string } | null;
  loading?: boolean;
  footer?: ReactNode;
}) {
  const t = useTranslations("chats.conversation");
  const format = useFormatter();
  const scrollRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastId = messages.at(-1)?.id;
  const lastAgentIdx = messages.findLastIndex((m) => m.kind === "AGENT");
  const lastAgent = lastAgentIdx >= 0 ? messages[lastAgentIdx] : undefined;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lastId, messages.length, typing, lastAgent?.seenAt]);

  // Images and late layout grow the transcript after the first scroll: stay pinned to the end.
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = scrollRef.current;
    const list = listRef.current;
    if (!el || !list || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    ro.observe(list);
    return () => ro.disconnect();
  }, [loading]);

  let prevDay = "";
  return (
    <div
      ref={scrollRef}
      className="min-h-0 flex-1 overflow-y-auto bg-gray-50 px-4 py-3"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      {loading ? (
        <div className="space-y-3" aria-busy="true">
          {[40, 60, 35, 55].map((w, i) => (
            <div key={i} className={cn("flex", i % 2 ? "justify-end" : "justify-start")}>
              <div className="h-9 animate-pulse rounded-lg bg-gray-200" style={{ width: `${w}%` }} />
            </div>
          ))}
        </div>
      ) : (
        <ol ref={listRef} role="log" aria-live="polite" aria-relevant="additions" aria-label={t("transcript")} className="space-y-0.5" data-testid="chat-messages">
          {messages.map((m, i) => {
            const at = new Date(m.createdAt);
            const day = at.toDateString();
            const showDay = day !== prevDay;
            prevDay = day;
            const prev = messages[i - 1];
            const grouped = !!prev && !showDay && prev.kind === m.kind && prev.authorName === m.authorName && at.getTime() - new Date(prev.createdAt).getTime() < GROUP_MS;
            const time = format.dateTime(at, { timeStyle: "short" });
            const full = format.dateTime(at, { dateStyle: "medium", timeStyle: "short" });
            const dayLine = showDay ? (
              <li className="py-2 text-center text-[11px] font-medium tracking-wide text-gray-400 uppercase" aria-hidden>
                {format.dateTime(at, { dateStyle: "medium" })}
              </li>
            ) : null;
            if (m.kind === "SYSTEM") {
              return (
                <Fragment key={m.id}>
                  {dayLine}
                  <li className="py-1.5 text-center text-xs text-gray-500" data-testid="chat-message" data-kind="SYSTEM">
                    <span className="whitespace-pre-wrap">{m.body}</span> <time className="text-gray-400" dateTime={m.createdAt} title={full}>{time}</time>
                  </li>
                </Fragment>
              );
            }
            const mine = m.kind !== "VISITOR";
            const isNote = m.kind === "NOTE";
            return (
              <Fragment key={m.id}>
                {dayLine}
                <li className={cn("flex flex-col", mine ? "items-end" : "items-start", !grouped && "pt-2")} data-testid="chat-message" data-kind={m.kind} data-message-id={m.id}>
                  {!grouped && (
                    <div className="mb-0.5 flex items-center gap-1.5 px-1 text-[11px] text-gray-500">
                      <span className="font-medium text-gray-700">{m.authorName ?? (m.kind === "VISITOR" ? visitorName || t("visitor") : t("agent"))}</span>
                      {isNote && <span className="rounded bg-amber-200 px-1 font-medium text-amber-900">{t("internalNote")}</span>}
                      <time dateTime={m.createdAt} title={full}>{time}</time>
                    </div>
                  )}
                  <div
                    className={cn(
                      "max-w-[75%] rounded-lg px-3 py-1.5 text-sm break-words whitespace-pre-wrap",
                      m.kind === "VISITOR" && "bg-white text-gray-900 shadow-sm ring-1 ring-gray-200",
                      m.kind === "AGENT" && "bg-indigo-600 text-white",
                      isNote && "bg-amber-50 text-amber-950 ring-1 ring-amber-300",
                      m.pending && "opacity-60",
                    )}
                    title={grouped ? full : undefined}
                  >
                    <Linkified text={m.body} />
                  </div>
                  <Attachments items={m.attachments} mine={mine} />
                  {m.pending && <span className="px-1 text-[11px] text-gray-400">{t("sending")}</span>}
                  {m === lastAgent && m.seenAt && !m.pending && (
                    <span className="px-1 text-[11px] text-gray-500" data-testid="chat-seen" title={format.dateTime(new Date(m.seenAt), { dateStyle: "medium", timeStyle: "short" })}>
                      {t("seen")}
                    </span>
                  )}
                </li>
              </Fragment>
            );
          })}
          {!messages.length && <li className="py-8 text-center text-sm text-gray-400">{t("noMessages")}</li>}
        </ol>
      )}
      {/* Reserved line: the indicator appears without moving the transcript. */}
      <div className="h-5 pt-1 text-xs text-gray-500 italic" aria-live="polite" data-testid={typing ? "chat-typing" : undefined}>
        {typing ? t("typing", { name: typing.name }) : null}
      </div>
      {footer}
    </div>
  );
}
