"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { Alert, Badge } from "@/components/ui/misc";
import { useTRPC } from "@/lib/trpc/react";
import { ChatActions, type ActionsOpen } from "@/components/chat/chat-actions";
import { ChatComposer, type ComposerHandle } from "@/components/chat/chat-composer";
import { ChatMessages } from "@/components/chat/chat-messages";
import { Since } from "@/components/chat/use-now";
import { upsertMessage, useChatChannel } from "@/components/chat/use-chat-realtime";
import { VisitorPanel, VisitorPanelSkeleton } from "@/components/chat/visitor-panel";
import { CHAT_STATUS_COLOR, type ChatDetail, type ChatMe, type ChatOptions, type PendingMessage } from "@/components/chat/types";

let tempSeq = 0;

/**
 * One chat: header with actions, transcript, composer and the visitor panel.
 * Used by the live workspace (centre + right panes) and the transcript page.
 */
export function ChatPane({ chatId, me, options, mode, initial }: { chatId: number; me: ChatMe; options: ChatOptions; mode: "live" | "page"; initial?: ChatDetail }) {
  const t = useTranslations("chats.conversation");
  const ts = useTranslations("chats.statusValue");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const key = trpc.chat.get.queryKey({ id: chatId });
  const q = useQuery(trpc.chat.get.queryOptions({ id: chatId }, { initialData: initial }));
  const d = q.data;
  const open = d?.status === "QUEUED" || d?.status === "ACTIVE";
  const { typing, notifyTyping, stopTyping } = useChatChannel(chatId, me, q.isSuccess && open);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [dialog, setDialog] = useState<ActionsOpen>(null);
  const composer = useRef<ComposerHandle>(null);

  // Sending: my message shows at once (dimmed) and is swapped for the stored one in the same render.
  const send = useMutation(
    trpc.chat.send.mutationOptions({
      onMutate: (v) => {
        const tempId = -++tempSeq;
        setPending((p) => [...p, { id: tempId, kind: v.note ? "NOTE" : "AGENT", body: v.body, authorName: me.name, createdAt: new Date().toISOString(), seenAt: null, attachments: [], pending: true }]);
        return { tempId };
      },
      onSuccess: (m, _v, ctx) => {
        qc.setQueryData(key, (old) => (old ? upsertMessage(old, m) : old));
        setPending((p) => p.filter((x) => x.id !== ctx?.tempId));
        void qc.invalidateQueries({ queryKey: trpc.chat.overview.pathKey() });
      },
      onError: (e, v, ctx) => {
        setPending((p) => p.filter((x) => x.id !== ctx?.tempId));
        toast.error(e.message);
        composer.current?.restore(v.body);
      },
    }),
  );
  const sendMutate = send.mutate;
  const onSend = ({ body, note, attachmentIds }: { body: string; note: boolean; attachmentIds: string[] }) =>
    sendMutate({ id: chatId, body, note: note || undefined, attachmentIds: attachmentIds.length ? attachmentIds : undefined });

  // Read receipts: the newest visitor message is "seen" while I have the chat open and visible.
  const mine = !!d && d.assignee?.id === me.id;
  const newestVisitor = useMemo(() => d?.messages.findLast((m) => m.kind === "VISITOR"), [d?.messages]);
  const sentUpTo = useRef(0);
  const seen = useMutation(
    trpc.chat.seen.mutationOptions({
      onSuccess: (_r, v) => {
        const at = new Date().toISOString();
        qc.setQueryData(key, (old) => (old ? { ...old, messages: old.messages.map((m) => (m.kind === "VISITOR" && m.id <= v.upToId && !m.seenAt ? { ...m, seenAt: at } : m)) } : old));
        void qc.invalidateQueries({ queryKey: trpc.chat.overview.pathKey() });
      },
      onError: () => {
        sentUpTo.current = 0;
      },
    }),
  );
  const seenMutate = seen.mutate;
  useEffect(() => {
    if (!mine || !open || !newestVisitor || newestVisitor.seenAt) return;
    const upToId = newestVisitor.id;
    const mark = () => {
      if (document.visibilityState !== "visible" || sentUpTo.current >= upToId) return;
      sentUpTo.current = upToId;
      seenMutate({ id: chatId, upToId });
    };
    mark();
    document.addEventListener("visibilitychange", mark);
    window.addEventListener("focus", mark);
    return () => {
      document.removeEventListener("visibilitychange", mark);
      window.removeEventListener("focus", mark);
    };
  }, [mine, open, newestVisitor, chatId, seenMutate]);

  const canCompose = d?.status === "ACTIVE" && d.canReply;

  // r: reply box, e: resolve (the list's j/k live in the workspace).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement;
      if (el.closest("input, textarea, select, [contenteditable=true], dialog[open]") || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "r" && open) {
        e.preventDefault();
        composer.current?.focus();
      } else if (e.key === "e" && open && d?.canResolve) {
        e.preventDefault();
        setDialog("resolve");
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, d?.canResolve]);

  const messages = useMemo(() => [...(d?.messages ?? []), ...pending], [d?.messages, pending]);
  const placeholders = useMemo(() => ({ "customer.name": d?.visitor.name, "customer.email": d?.visitor.email, "agent.name": me.name }), [d?.visitor.name, d?.visitor.email, me.name]);

  if (q.isError) {
    return (
      <section className="flex min-w-0 flex-1 items-start justify-center bg-gray-50 p-8" data-testid="chat-conversation">
        <Alert>{q.error.message}</Alert>
      </section>
    );
  }

  return (
    <>
      <section className="flex min-w-0 flex-1 flex-col" aria-label={t("label")} data-testid="chat-conversation" data-chat-id={chatId} data-status={d?.status}>
        <header className="flex h-14 shrink-0 items-center gap-3 border-b border-gray-200 bg-white px-4">
          {d ? (
            <>
              <div className="min-w-0 flex-1">
                <div className="flex items-center gap-2">
                  <h2 className="truncate text-sm font-semibold text-gray-900">{d.visitor.name ?? d.visitor.email ?? t("anonymous")}</h2>
                  <Badge color={CHAT_STATUS_COLOR[d.status]}>{ts(d.status)}</Badge>
                  {d.visitor.banned && <Badge color="red">{t("banned")}</Badge>}
                </div>
                <div className="flex items-center gap-1.5 truncate text-xs text-gray-500">
                  {mode === "live" ? (
                    <Link href={`/chats/${d.id}`} className="hover:text-indigo-600 hover:underline" title={t("permalink")}>#{d.id}</Link>
                  ) : (
                    <span>#{d.id}</span>
                  )}
                  <span aria-hidden>·</span>
                  {d.status === "QUEUED" ? (
                    <span>
                      {t("waiting")} <Since at={d.queuedAt} className="tabular-nums" />
                      {d.group && <> · {d.group.name}</>}
                    </span>
                  ) : (
                    <span className="truncate">
                      {d.assignee ? t("with", { name: d.assignee.id === me.id ? t("you") : d.assignee.name }) : t("unassigned")}
                      {d.group && <> · {d.group.name}</>}
                      {d.status === "ACTIVE" && d.assignedAt && <> · <Since at={d.assignedAt} className="tabular-nums" /></>}
                      {d.endedAt && <> · {t("endedAt", { time: format.dateTime(new Date(d.endedAt), { dateStyle: "medium", timeStyle: "short" }) })}</>}
                    </span>
                  )}
                </div>
              </div>
              <ChatActions detail={d} options={options} dialog={dialog} setDialog={setDialog} />
            </>
          ) : (
            <div className="flex-1 space-y-1.5" aria-busy="true">
              <div className="h-3 w-40 animate-pulse rounded bg-gray-200" />
              <div className="h-2.5 w-24 animate-pulse rounded bg-gray-100" />
            </div>
          )}
        </header>
        <ChatMessages key={chatId} messages={messages} typing={open ? typing : null} loading={q.isPending} visitorName={d?.visitor.name} />
        {d && (open || canCompose) ? (
          <ChatComposer
            key={chatId}
            ref={composer}
            chatId={chatId}
            canned={options.canned}
            placeholders={placeholders}
            onSend={onSend}
            onTyping={notifyTyping}
            onStopTyping={stopTyping}
            noteOnly={canCompose ? undefined : d.status === "QUEUED" ? t("takeToReply") : t("notYours")}
          />
        ) : d ? (
          <div className="flex h-12 shrink-0 items-center justify-center border-t border-gray-200 bg-white px-4 text-sm text-gray-500" data-testid="chat-readonly">
            {t("ended")}
          </div>
        ) : (
          <div className="h-[5.5rem] shrink-0 border-t border-gray-200 bg-white" />
        )}
      </section>
      {d ? <VisitorPanel detail={d} /> : <VisitorPanelSkeleton />}
    </>
  );
}
