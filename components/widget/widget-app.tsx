"use client";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ChatMessageView, VisitorChatView } from "@/lib/chat/types";
import { useTRPCClient } from "@/lib/trpc/react";
import { Composer, type Draft } from "@/components/widget/composer";
import { ContactForm, ErrorNote, type ContactValues } from "@/components/widget/forms";
import { Header } from "@/components/widget/header";
import {
  errorText, isEmbedded, isOpenChat, learnHostOrigin, parseHostPage, postToHost, profileKey, readProfile, readStore,
  tokenKey, upsertMessages, withMessages, writeStore, type HostPage, type Translate, type WidgetConfig,
} from "@/components/widget/lib";
import { MessageList } from "@/components/widget/message-list";
import { Done, RatingForm } from "@/components/widget/rating";
import { useChatRealtime, type RealtimeProps } from "@/components/widget/use-chat-realtime";

type Props = {
  slug: string;
  locale: string;
  brand: { name: string; color: string; logoUrl: string | null };
  realtime: RealtimeProps;
};

type Finished = { kind: "offline"; number: number } | { kind: "rated" };

const TYPING_TIMEOUT_MS = 8000;

/** The visitor's side of live chat: pre-chat or offline form, the conversation, the rating. */
export function WidgetApp({ slug, locale, brand, realtime }: Props) {
  const t = useTranslations("widget") as Translate;
  const client = useTRPCClient();

  const [config, setConfig] = useState<WidgetConfig | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [chat, setChat] = useState<VisitorChatView | null>(null);
  const [finished, setFinished] = useState<Finished | null>(null);
  const [ticketNumber, setTicketNumber] = useState<number | null>(null);
  const [typing, setTyping] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [ending, setEnding] = useState(false);
  const [embedded, setEmbedded] = useState(false);
  const [hostOpen, setHostOpen] = useState(false);
  const [pageVisible, setPageVisible] = useState(true);
  const [page, setPage] = useState<HostPage | null>(null);
  const [agentRead, setAgentRead] = useState(0); // visitor messages up to this id were read by the agent
  const [visitorRead, setVisitorRead] = useState(0); // agent messages up to this id were reported read
  const [profile, setProfile] = useState({ name: "", email: "" });

  const chatId = chat?.id ?? null;
  const open = isOpenChat(chat);

  // ---------- Session ----------

  const adopt = useCallback(
    (s: { token: string; chat: VisitorChatView | null }) => {
      setToken(s.token);
      writeStore(tokenKey(slug), s.token);
      setChat((prev) => {
        if (!s.chat) return prev && !isOpenChat(prev) ? prev : null;
        // Keep messages still being sent; everything else comes from the server.
        const sending = prev?.id === s.chat.id ? prev.messages.filter((m) => m.id < 0) : [];
        return withMessages(s.chat, (l) => upsertMessages(l, sending));
      });
    },
    [slug],
  );

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const [cfg, session] = await Promise.all([
        client.widget.config.query({ brand: slug }),
        client.widget.session.mutate({ brand: slug, token: readStore(tokenKey(slug)) ?? undefined, language: locale }),
      ]);
      setConfig(cfg);
      adopt(session);
    } catch (e) {
      setLoadError(errorText(e, t));
    }
  }, [client, slug, locale, adopt, t]);

  useEffect(() => {
    setProfile(readProfile(slug));
    void load();
  }, [slug, load]);

  const tokenRef = useRef(token);
  useEffect(() => {
    tokenRef.current = token;
  }, [token]);
  const refresh = useCallback(async () => {
    if (!tokenRef.current) return;
    try {
      adopt(await client.widget.session.mutate({ brand: slug, token: tokenRef.current, language: locale }));
    } catch {
      /* the next event or poll tries again */
    }
  }, [client, slug, locale, adopt]);

  // ---------- Realtime ----------

  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const rt = useChatRealtime(realtime, token, open ? chatId : null, {
    onMessage: ({ message }) => {
      setChat((c) => (c ? withMessages(c, (l) => upsertMessages(l, [message])) : c));
      if (message.kind === "AGENT") setTyping(null);
    },
    onSeen: ({ by, upToId }) => {
      if (by === "agent") setAgentRead((x) => Math.max(x, upToId));
      else setVisitorRead((x) => Math.max(x, upToId)); // read in another tab
    },
    onUpdated: (e) => {
      setChat((c) => (c ? { ...c, status: e.status, agent: e.agent, endedAt: e.endedAt, queuePosition: e.status === "QUEUED" ? c.queuePosition : null } : c));
      if (e.ticketNumber) setTicketNumber(e.ticketNumber);
      if (e.status !== "ACTIVE") setTyping(null);
    },
    onTyping: (e) => {
      if (e.who !== "agent") return;
      clearTimeout(typingTimer.current);
      setTyping(e.typing ? e.name || "…" : null);
      // A lost "stopped typing" must not leave the indicator on forever.
      if (e.typing) typingTimer.current = setTimeout(() => setTyping(null), TYPING_TIMEOUT_MS);
    },
    onReconnect: () => void refresh(),
  });
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  // The queue position moves without events; a lost connection is bridged by polling.
  const status = chat?.status;
  useEffect(() => {
    if (status !== "QUEUED" && status !== "ACTIVE") return;
    const every = status === "QUEUED" ? 15_000 : rt.connected ? 0 : 10_000;
    if (!every) return;
    const id = setInterval(() => void refresh(), every);
    return () => clearInterval(id);
  }, [status, rt.connected, refresh]);

  // ---------- The host page ----------

  useEffect(() => {
    const inFrame = isEmbedded();
    setEmbedded(inFrame);
    if (!inFrame) {
      setHostOpen(true);
      return;
    }
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.parent || !e.data || typeof e.data !== "object") return;
      const d = e.data as { type?: unknown; open?: unknown };
      if (d.type === "relaydesk:page") {
        const p = parseHostPage(d);
        if (!p) return;
        learnHostOrigin(e.origin);
        setPage((prev) => (prev?.url === p.url && prev.title === p.title ? prev : p));
      } else if (d.type === "relaydesk:state") {
        learnHostOrigin(e.origin);
        setHostOpen(d.open === true);
      }
    };
    window.addEventListener("message", onMessage);
    postToHost({ type: "relaydesk:ready", color: brand.color });
    return () => window.removeEventListener("message", onMessage);
  }, [brand.color]);

  useEffect(() => {
    const onVisibility = () => setPageVisible(document.visibilityState === "visible");
    onVisibility();
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, []);

  const lastVisit = useRef<string | null>(null);
  useEffect(() => {
    if (!token || !page || lastVisit.current === page.url) return;
    lastVisit.current = page.url;
    client.widget.visit.mutate({ token, url: page.url, title: page.title }).catch(() => {});
  }, [client, token, page]);

  useEffect(() => {
    postToHost({ type: "relaydesk:active", active: open });
  }, [open]);

  // ---------- Read receipts and unread count ----------

  const visible = hostOpen && pageVisible;
  const messages = chat?.messages;
  const { lastAgentId, readBefore } = useMemo(() => {
    let last = 0;
    let read = 0;
    for (const m of messages ?? []) {
      if (m.kind !== "AGENT" || m.id < 0) continue;
      last = Math.max(last, m.id);
      if (m.seenAt) read = Math.max(read, m.id);
    }
    return { lastAgentId: last, readBefore: read };
  }, [messages]);
  const readUpTo = Math.max(visitorRead, readBefore);
  const unread = useMemo(() => (messages ?? []).filter((m) => m.kind === "AGENT" && m.id > readUpTo).length, [messages, readUpTo]);

  useEffect(() => {
    if (!visible || !token || !chatId || lastAgentId <= readUpTo) return;
    setVisitorRead(lastAgentId);
    client.widget.seen.mutate({ token, chatId, upToId: lastAgentId }).catch(() => {});
  }, [client, visible, token, chatId, lastAgentId, readUpTo]);

  useEffect(() => {
    postToHost({ type: "relaydesk:unread", count: visible ? 0 : unread });
  }, [visible, unread]);

  // A new chat starts with fresh receipts.
  useEffect(() => {
    setAgentRead(0);
    setVisitorRead(0);
    setTyping(null);
    setConfirmEnd(false);
  }, [chatId]);

  // ---------- Focus and keyboard ----------

  const view = !config ? (loadError ? "error" : "loading") : finished ? finished.kind : chat ? `chat-${chat.status}-${chat.rating ?? ""}` : config.online ? "prechat" : "offline";
  useEffect(() => {
    if (!hostOpen) return;
    const el = document.querySelector<HTMLElement>("[data-autofocus]");
    el?.focus({ preventScroll: true });
  }, [hostOpen, view]);

  const close = useCallback(() => postToHost({ type: "relaydesk:close" }), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      if (confirmEnd) setConfirmEnd(false);
      else if (embedded) close();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [confirmEnd, embedded, close]);

  // ---------- Actions ----------

  const remember = (v: ContactValues) => {
    const next = { name: v.name || profile.name, email: v.email || profile.email };
    setProfile(next);
    writeStore(profileKey(slug), JSON.stringify(next));
  };

  const start = async (v: ContactValues) => {
    if (!token) throw new Error(t("errors.generic"));
    const started = await client.widget.start.mutate({ token, name: v.name || undefined, email: v.email || undefined, message: v.message, page: page ?? undefined });
    remember(v);
    setError(null);
    setTicketNumber(null);
    setChat(started);
  };

  const leaveMessage = async (v: ContactValues) => {
    const r = await client.widget.offline.mutate({ brand: slug, token: token ?? undefined, name: v.name, email: v.email, message: v.message });
    remember(v);
    setFinished({ kind: "offline", number: r.ticketNumber });
  };

  const tempIds = useRef(0);
  const send = async (d: Draft): Promise<boolean> => {
    if (!chat || !token) return false;
    const id = chat.id;
    const tempId = -++tempIds.current;
    const body = d.body; // may be empty when an image goes on its own
    const temp: ChatMessageView = {
      id: tempId, kind: "VISITOR", body, authorName: null, createdAt: new Date().toISOString(), seenAt: null,
      attachments: d.file ? [{ ...d.file, url: d.preview ?? "" }] : [],
    };
    const update = (fn: (l: ChatMessageView[]) => ChatMessageView[]) => setChat((c) => (c && c.id === id ? withMessages(c, fn) : c));
    update((l) => upsertMessages(l, [temp]));
    try {
      const sent = await client.widget.send.mutate({ token, chatId: id, body, attachmentIds: d.file ? [d.file.id] : undefined });
      update((l) => upsertMessages(l.filter((m) => m.id !== tempId), [sent]));
      return true;
    } catch (e) {
      update((l) => l.filter((m) => m.id !== tempId));
      setError(errorText(e, t));
      return false;
    }
  };

  const onTyping = useCallback((isTyping: boolean) => rt.sendTyping(profile.name || t("visitor"), isTyping), [rt, profile.name, t]);

  const end = async () => {
    if (!chat || !token || ending) return;
    setEnding(true);
    setError(null);
    try {
      setChat(await client.widget.end.mutate({ token, chatId: chat.id }));
      setConfirmEnd(false);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setEnding(false);
    }
  };

  const rate = async (rating: number, comment: string) => {
    if (!chat || !token) return;
    await client.widget.rate.mutate({ token, chatId: chat.id, rating, comment: comment || undefined });
    setFinished({ kind: "rated" });
  };

  const newChat = () => {
    setChat(null);
    setFinished(null);
    setTicketNumber(null);
    setError(null);
    // Someone may have come online (or gone) meanwhile.
    client.widget.config.query({ brand: slug }).then(setConfig, () => {});
  };

  // ---------- Views ----------

  let body;
  if (!config) {
    body = loadError ? (
      <div className="flex flex-1 flex-col items-center justify-center gap-3 px-8 text-center">
        <p role="alert" className="text-sm text-gray-700" data-testid="chat-error">{loadError}</p>
        <button type="button" onClick={() => void load()} className="rounded-lg bg-[var(--brand)] px-4 py-2 text-sm font-semibold text-[var(--brand-fg)] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand)]" data-autofocus>
          {t("retry")}
        </button>
      </div>
    ) : (
      <div className="flex flex-1 flex-col gap-3 px-4 pt-6" role="status" aria-busy="true">
        <span className="sr-only">{t("loading")}</span>
        <div className="h-6 w-40 animate-pulse rounded-md bg-gray-200" />
        <div className="h-4 w-64 animate-pulse rounded-md bg-gray-100" />
        <div className="mt-3 h-56 animate-pulse rounded-xl bg-gray-100" />
      </div>
    );
  } else if (finished?.kind === "offline") {
    body = <Done title={t("offlineThanksTitle", { number: finished.number })} body={t("offlineThanksBody")} testId="chat-offline-thanks" />;
  } else if (finished?.kind === "rated" || (chat && chat.rating !== null)) {
    body = <Done title={t("thanksTitle")} body={t("thanksBody")} action={{ label: t("newChat"), onClick: newChat }} testId="chat-thanks" />;
  } else if (chat && token) {
    const ended = !open;
    const notices = (ended || ticketNumber) && (
      <div className="space-y-1 pb-4 text-center text-xs text-gray-500">
        {chat.status === "MISSED" ? (
          <>
            <p className="font-medium text-gray-700">{t("missed")}</p>
            <p>{t("missedBody")}</p>
          </>
        ) : (
          ended && <p>{t("ended")}</p>
        )}
        {ticketNumber && <p data-testid="chat-ticket">{t("ticket", { number: ticketNumber })}</p>}
      </div>
    );
    body = (
      <>
        <div className="relative flex min-h-0 flex-1 flex-col">
          <MessageList messages={chat.messages} token={token} seenUpTo={agentRead} typing={open ? typing : null} footer={notices || null} />
          {confirmEnd && (
            <div role="alertdialog" aria-labelledby="end-question" className="absolute inset-x-3 top-3 z-10 rounded-xl bg-white p-3 shadow-lg ring-1 ring-gray-200">
              <p id="end-question" className="text-sm font-medium text-gray-900">{t("endConfirm")}</p>
              <div className="mt-3 flex justify-end gap-2">
                <button type="button" onClick={() => setConfirmEnd(false)} className="rounded-lg px-3 py-1.5 text-sm text-gray-700 ring-1 ring-gray-300 hover:bg-gray-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand)]" autoFocus>
                  {t("endNo")}
                </button>
                <button type="button" onClick={() => void end()} disabled={ending} className="rounded-lg bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60" data-testid="chat-end-confirm">
                  {t("endYes")}
                </button>
              </div>
            </div>
          )}
        </div>
        {error && (
          <div className="px-3 pb-2">
            <ErrorNote message={error} />
          </div>
        )}
        {open ? (
          <Composer token={token} onSend={send} onTyping={onTyping} onError={setError} />
        ) : chat.status === "MISSED" ? (
          <div className="border-t border-gray-200 p-3">
            <button type="button" onClick={newChat} className="w-full rounded-lg bg-[var(--brand)] px-4 py-2.5 text-sm font-semibold text-[var(--brand-fg)] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand)]" data-testid="chat-new" data-autofocus>
              {t("newChat")}
            </button>
          </div>
        ) : (
          <RatingForm onRate={rate} onSkip={newChat} />
        )}
      </>
    );
  } else {
    const offline = !config.online;
    body = (
      <div className="flex-1 overflow-y-auto bg-gray-50 px-4 py-5">
        <p className="text-xl font-semibold text-gray-900">{t("greeting")}</p>
        <p className="mt-1 mb-4 text-sm text-gray-600">{offline ? t("offlineIntro") : t("intro")}</p>
        <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-gray-200">
          <ContactForm
            key={offline ? "offline" : "prechat"}
            variant={offline ? "offline" : "prechat"}
            initial={profile}
            nameRequired={config.nameRequired}
            emailRequired={config.emailRequired}
            onSubmit={offline ? leaveMessage : start}
          />
        </div>
        <p className="mt-4 text-center text-[11px] text-gray-400">{t("poweredBy")}</p>
      </div>
    );
  }

  return (
    <div className="flex h-full flex-col" role={embedded ? "dialog" : undefined} aria-label={t("title", { brand: config?.brandName ?? brand.name })}>
      <Header
        brand={{ name: config?.brandName ?? brand.name, logoUrl: config?.logoUrl ?? brand.logoUrl }}
        chat={finished ? null : chat}
        online={config ? config.online : null}
        canEnd={open && !finished}
        onEnd={() => setConfirmEnd(true)}
        onClose={embedded ? close : null}
      />
      {body}
    </div>
  );
}
