"use client";
import { useMutation } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Paperclip, Scissors } from "lucide-react";
import { toast } from "sonner";
import { cn } from "@/components/ui/cn";
import { useTRPC } from "@/lib/trpc/react";
import type { TicketOptions } from "@/components/inbox/types";
import type { TicketDetail } from "@/components/ticket/types";

type Message = TicketDetail["messages"][number];
type Event = TicketDetail["events"][number];
type Item = { kind: "message"; at: Date; m: Message } | { kind: "event"; at: Date; e: Event };

const hasQuote = (html: string | null) => !!html && /<blockquote|gmail_quote|rd-quote/i.test(html);

function textToHtml(text: string) {
  const esc = text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
  // Plain-text quotes ("> …" lines and what follows "On … wrote:") fold like HTML ones.
  const lines = esc.split("\n");
  const start = lines.findIndex((l) => /^&gt;/.test(l) || /^On .+wrote:$/.test(l.trim()));
  const body = (start === -1 ? lines : lines.slice(0, start)).join("<br>");
  return start === -1 ? body : `${body}<div class="rd-quote">${lines.slice(start).join("<br>")}</div>`;
}

export function Timeline({ detail, number, options, canSplit }: { detail: TicketDetail; number: number; options: TicketOptions; canSplit: boolean }) {
  const items: Item[] = [
    ...detail.messages.map((m) => ({ kind: "message" as const, at: new Date(m.createdAt), m })),
    ...detail.events.map((e) => ({ kind: "event" as const, at: new Date(e.createdAt), e })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return (
    <ol className="mx-auto max-w-3xl space-y-3" data-testid="timeline" aria-label="Timeline">
      {items.map((it) =>
        it.kind === "message" ? (
          <MessageCard key={`m${it.m.id}`} m={it.m} number={number} canSplit={canSplit && detail.messages.length > 1} />
        ) : (
          <EventLine key={`e${it.e.id}`} e={it.e} options={options} />
        ),
      )}
    </ol>
  );
}

function MessageCard({ m, number, canSplit }: { m: Message; number: number; canSplit: boolean }) {
  const t = useTranslations("ticketPage");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const tf = useTranslations("mailAdmin.forward");
  const [showQuote, setShowQuote] = useState(false);
  const split = useMutation(trpc.tickets.split.mutationOptions({ onSuccess: (r) => router.push(`/tickets/${r.number}`), onError: (e) => toast.error(e.message) }));
  const html = m.html ?? textToHtml(m.text);
  const quoted = hasQuote(html);
  const who = m.author?.name ?? m.fromName ?? m.fromAddress ?? t("customer");
  const style =
    m.kind === "NOTE" ? "bg-amber-50 ring-amber-200" : m.kind === "CUSTOMER" ? "bg-white ring-gray-200" : m.kind === "REPLY" ? "bg-white ring-indigo-200 border-l-4 border-indigo-400" : "bg-gray-50 ring-gray-200";
  return (
    <li className={cn("rounded-lg p-4 shadow-sm ring-1", style)} data-testid={`message-${m.kind.toLowerCase()}`} data-message-id={m.id}>
      <div className="mb-2 flex items-center gap-2 text-xs text-gray-500">
        <span className="font-medium text-gray-900">{who}</span>
        {m.kind === "NOTE" && <span className="rounded bg-amber-200 px-1.5 py-0.5 font-medium text-amber-900">{t("internalNote")}</span>}
        {m.kind === "AUTO_REPLY" && <span className="rounded bg-gray-200 px-1.5 py-0.5">{t("autoReply")}</span>}
        {m.kind === "FORWARD" && <span className="rounded bg-blue-100 px-1.5 py-0.5 text-blue-800" data-testid="forward-badge">{tf("sent")}</span>}
        {m.to.length > 0 && m.kind !== "CUSTOMER" && <span>→ {m.to.join(", ")}{m.cc.length ? ` · cc ${m.cc.join(", ")}` : ""}</span>}
        <time className="ml-auto" dateTime={new Date(m.createdAt).toISOString()} title={format.dateTime(new Date(m.createdAt), { dateStyle: "medium", timeStyle: "short" })}>
          {format.relativeTime(new Date(m.createdAt))}
        </time>
        {m.deliveryStatus === "FAILED" && <span className="rounded bg-red-100 px-1.5 py-0.5 text-red-700" title={m.deliveryError ?? ""} data-testid="delivery-failed">{t("deliveryFailed")}</span>}
        {m.deliveryStatus === "QUEUED" && <span className="text-gray-400">{t("sending")}</span>}
        {canSplit && (
          <button type="button" className="text-gray-400 hover:text-gray-700" title={t("split")} aria-label={t("split")} onClick={() => split.mutate({ number, messageId: m.id })}>
            <Scissors className="h-3.5 w-3.5" />
          </button>
        )}
      </div>
      {m.deliveryStatus === "FAILED" && m.deliveryError && (
        <p className="mb-2 rounded bg-red-50 px-2 py-1 text-xs text-red-800" role="status" data-testid="delivery-error">
          {m.deliveryError}
        </p>
      )}
      {/* Bodies are sanitised when they are stored (email ingest and the composer). */}
      <div className={cn("message-body text-sm text-gray-800", !showQuote && "fold-quotes")} dangerouslySetInnerHTML={{ __html: html }} />
      {quoted && (
        <button type="button" className="mt-1 rounded bg-gray-100 px-2 text-xs text-gray-600 hover:bg-gray-200" onClick={() => setShowQuote((v) => !v)} aria-expanded={showQuote}>
          {showQuote ? t("hideQuoted") : "•••"}
        </button>
      )}
      {m.attachments.filter((a) => !a.inline).length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-2" aria-label={t("attachments")}>
          {m.attachments.filter((a) => !a.inline).map((a) => (
            <li key={a.id}>
              <a href={`/api/files/${a.id}?download=1`} className="inline-flex items-center gap-1 rounded border border-gray-200 bg-white px-2 py-1 text-xs text-gray-700 hover:bg-gray-50" data-testid="attachment-link">
                <Paperclip className="h-3 w-3" aria-hidden /> {a.name} <span className="text-gray-400">({Math.max(1, Math.round(a.size / 1024))} KB)</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function EventLine({ e, options }: { e: Event; options: TicketOptions }) {
  const t = useTranslations("ticketPage.events");
  const ts = useTranslations("ticket");
  const format = useFormatter();
  const name = (v: string | null): string => {
    if (!v) return t("none");
    if (e.type === "STATUS") return ts(`status.${v as "OPEN"}`);
    if (e.type === "PRIORITY") return ts(`priority.${v as "LOW"}`);
    if (e.type === "ASSIGNEE") return options.agents.find((a) => a.id === v)?.name ?? t("someone");
    if (e.type === "GROUP") return options.groups.find((g) => g.id === v)?.name ?? v;
    if (e.type === "TYPE") return options.types.find((x) => x.id === v)?.name ?? v;
    if (e.type === "TOPIC") return options.topics.find((x) => x.id === v)?.name ?? v;
    return v;
  };
  const actor = e.actor?.name ?? (e.actorType === "CUSTOMER" ? t("theCustomer") : e.actorType === "RULE" ? t("aRule") : t("system"));
  const key = e.type as "STATUS";
  return (
    <li className="flex items-center gap-2 px-4 text-xs text-gray-500" data-testid="history-event" data-type={e.type}>
      <span className="h-1.5 w-1.5 rounded-full bg-gray-300" aria-hidden />
      <span>{t.has(key) ? t(key, { actor, from: name(e.fromValue), to: name(e.toValue) }) : `${actor}: ${e.type}`}</span>
      <time className="ml-auto" dateTime={new Date(e.createdAt).toISOString()}>{format.relativeTime(new Date(e.createdAt))}</time>
    </li>
  );
}
