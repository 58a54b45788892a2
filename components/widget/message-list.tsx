"use client";
import { useLocale, useTranslations } from "next-intl";
import { Fragment, useLayoutEffect, useMemo, useRef, type ReactNode } from "react";
import type { ChatAttachmentView, ChatMessageView } from "@/lib/chat/types";
import { fileUrl } from "@/components/widget/lib";

const URL_RE = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}]/gi;

/** Plain text with web addresses made clickable — built from text nodes, never HTML. */
function Linkified({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(
      <a key={m.index} href={m[0]} target="_blank" rel="noopener noreferrer nofollow" className="underline underline-offset-2 break-all">
        {m[0]}
      </a>,
    );
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

function Attachment({ a, token, mine }: { a: ChatAttachmentView; token: string; mine: boolean }) {
  const t = useTranslations("widget");
  // Pending uploads show their local preview; stored files go through the visitor's file route.
  const href = a.url.startsWith("blob:") ? a.url : fileUrl(a.id, token);
  if (a.contentType.startsWith("image/")) {
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" className="block overflow-hidden rounded-xl ring-1 ring-black/5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand)]" aria-label={t("openFile", { name: a.name })}>
        {/* A fixed height keeps the list from jumping while the image loads. */}
        <img src={href} alt={a.name} loading="lazy" className="h-36 w-auto max-w-full bg-gray-100 object-cover" data-testid="chat-image" />
      </a>
    );
  }
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={`flex items-center gap-2 rounded-lg px-3 py-2 text-sm underline-offset-2 hover:underline ${mine ? "bg-black/10" : "bg-white ring-1 ring-gray-200"}`}>
      <span aria-hidden>📎</span>
      <span className="truncate">{a.name}</span>
    </a>
  );
}

type Props = {
  messages: ChatMessageView[];
  token: string;
  /** Shown under the visitor's last message once the agent has read it. */
  seenUpTo: number;
  typing: string | null;
  footer?: ReactNode;
};

export function MessageList({ messages, token, seenUpTo, typing, footer }: Props) {
  const t = useTranslations("widget");
  const locale = useLocale();
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const time = useMemo(() => new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }), [locale]);
  const full = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }), [locale]);

  const lastVisitor = useMemo(() => [...messages].reverse().find((m) => m.kind === "VISITOR"), [messages]);
  const lastMine = messages.at(-1)?.kind === "VISITOR";

  // Keep the newest message in view unless the visitor scrolled up to read older ones
  // (their own new message always scrolls down).
  useLayoutEffect(() => {
    const el = box.current;
    if (el && (stick.current || lastMine)) el.scrollTop = el.scrollHeight;
  }, [messages, typing, footer, lastMine]);

  const onScroll = () => {
    const el = box.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
  };

  return (
    <div ref={box} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-4 pt-4 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-[var(--brand)]" tabIndex={0}>
      <div role="log" aria-live="polite" aria-relevant="additions" aria-label={t("messages")} className="flex flex-col">
        {messages.map((m, i) => {
          const prev = messages[i - 1];
          const next = messages[i + 1];
          if (m.kind === "SYSTEM") {
            return (
              <p key={m.id} className="mx-auto my-3 max-w-[85%] text-center text-xs text-gray-500" data-testid="chat-message" data-kind="SYSTEM">
                <Linkified text={m.body} />
              </p>
            );
          }
          const mine = m.kind === "VISITOR";
          const firstOfRun = !prev || prev.kind !== m.kind || prev.authorName !== m.authorName;
          const lastOfRun = !next || next.kind !== m.kind || next.authorName !== m.authorName;
          const pending = m.id < 0;
          const isLastVisitor = m === lastVisitor;
          const seen = isLastVisitor && !pending && (!!m.seenAt || m.id <= seenUpTo);
          const at = new Date(m.createdAt);
          return (
            <Fragment key={m.id}>
              {!mine && firstOfRun && m.authorName && <p className="mt-3 mb-1 ml-10 text-xs font-medium text-gray-500">{m.authorName}</p>}
              <div className={`flex items-end gap-2 ${mine ? "justify-end" : "justify-start"} ${firstOfRun ? (mine ? "mt-3" : "") : "mt-1"}`}>
                {!mine && (
                  <span className={`flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-gray-200 text-xs font-semibold text-gray-700 ${lastOfRun ? "" : "invisible"}`} aria-hidden>
                    {(m.authorName ?? "?").slice(0, 1).toUpperCase()}
                  </span>
                )}
                <div
                  className={`flex max-w-[78%] flex-col gap-1.5 ${mine ? "items-end" : "items-start"} ${pending ? "opacity-70" : ""}`}
                  data-testid="chat-message"
                  data-kind={m.kind}
                  data-pending={pending || undefined}
                  title={full.format(at)}
                >
                  {m.attachments.map((a) => <Attachment key={a.id} a={a} token={token} mine={mine} />)}
                  {m.body && (
                    <div
                      className={`rounded-2xl px-3.5 py-2 text-sm leading-relaxed break-words whitespace-pre-wrap ${
                        mine ? "rounded-br-md bg-[var(--brand)] text-[var(--brand-fg)]" : "rounded-bl-md bg-gray-100 text-gray-900"
                      }`}
                    >
                      <Linkified text={m.body} />
                    </div>
                  )}
                </div>
              </div>
              {(lastOfRun || isLastVisitor) && (
                <p className={`mt-1 text-[11px] text-gray-400 ${mine ? "text-right" : "ml-10"}`}>
                  {pending ? (
                    t("sending")
                  ) : (
                    <>
                      <time dateTime={m.createdAt}>{time.format(at)}</time>
                      {seen && (
                        <span data-testid="chat-seen">
                          {" · "}
                          {t("seen")}
                        </span>
                      )}
                    </>
                  )}
                </p>
              )}
            </Fragment>
          );
        })}
      </div>
      {/* Reserved, so the list does not jump when the indicator appears. */}
      <div className="flex h-7 items-center text-xs text-gray-500" aria-live="polite">
        {typing && (
          <span className="flex items-center gap-2" data-testid="chat-typing">
            <span className="flex gap-0.5" aria-hidden>
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-gray-400 [animation-delay:-0.3s]" />
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-gray-400 [animation-delay:-0.15s]" />
              <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-gray-400" />
            </span>
            {t("typing", { name: typing })}
          </span>
        )}
      </div>
      {footer}
    </div>
  );
}
