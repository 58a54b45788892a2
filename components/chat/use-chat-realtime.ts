"use client";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Channel } from "pusher-js";
import { useRealtime } from "@/components/realtime/realtime-provider";
import { atMostEvery } from "@/components/realtime/at-most-every";
import { chatChannel, type RealtimeEvents } from "@/lib/realtime/channels";
import { useTRPC } from "@/lib/trpc/react";
import { applyChatChange, CHAT_LIST_LIMIT } from "@/lib/chat/list-order";
import type { ChatDetail, ChatMessageView, ChatOverview } from "@/components/chat/types";

type TypingEvent = { who: "visitor" | "agent"; name: string; typing: boolean };

/** Inserts or replaces a message, keeping the transcript in id order. */
export function upsertMessage(detail: ChatDetail, message: ChatMessageView): ChatDetail {
  const known = detail.messages.find((m) => m.id === message.id);
  // A read receipt can arrive before the send's own answer: never turn "seen" back into unseen.
  const merged = known?.seenAt && !message.seenAt ? { ...message, seenAt: known.seenAt } : message;
  const rest = detail.messages.filter((m) => m.id !== message.id);
  const messages = [...rest, merged].sort((a, b) => a.id - b.id);
  return { ...detail, messages };
}

const TYPING_THROTTLE_MS = 2000;
const LIST_REFRESH_MS = 1000;
const TYPING_IDLE_MS = 5000;
const TYPING_SHOWN_MS = 6000;

/**
 * The open chat's channel: messages, read receipts and status changes patch the
 * `chat.get` cache directly; typing goes both ways as client events (throttled).
 */
export function useChatChannel(chatId: number | null, me: { name: string }, enabled = true) {
  const { pusher } = useRealtime();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const channelRef = useRef<Channel | null>(null);
  const [typing, setTyping] = useState<{ name: string; who: "visitor" | "agent" } | null>(null);
  const clearTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastSent = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sentTyping = useRef(false);

  useEffect(() => {
    setTyping(null);
    if (!pusher || chatId === null || !enabled) return;
    const key = trpc.chat.get.queryKey({ id: chatId });
    const ch = pusher.subscribe(chatChannel(chatId));
    channelRef.current = ch;
    let first = true;
    const onSubscribed = () => {
      // After a re-subscription something may have been missed: fetch the transcript again.
      if (!first) void qc.invalidateQueries({ queryKey: key });
      first = false;
    };
    const onMessage = (e: RealtimeEvents["chat.message"]) => {
      if (e.chatId !== chatId) return;
      qc.setQueryData(key, (old) => (old ? upsertMessage(old, e.message) : old));
      if (e.message.kind === "VISITOR") setTyping((t) => (t?.who === "visitor" ? null : t));
    };
    const onSeen = (e: RealtimeEvents["chat.seen"]) => {
      if (e.chatId !== chatId) return;
      // "visitor" saw the agents' messages; "agent" marks the visitor's as read.
      const kind = e.by === "visitor" ? "AGENT" : "VISITOR";
      qc.setQueryData(key, (old) =>
        old ? { ...old, messages: old.messages.map((m) => (m.kind === kind && m.id <= e.upToId && !m.seenAt ? { ...m, seenAt: e.at } : m)) } : old,
      );
    };
    const onUpdated = (e: RealtimeEvents["chat.updated"]) => {
      if (e.chatId !== chatId) return;
      qc.setQueryData(key, (old) => (old ? { ...old, status: e.status, ticketNumber: e.ticketNumber, endedAt: e.endedAt } : old));
      // Assignee, permissions and topic come with the full view.
      void qc.invalidateQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: trpc.chat.overview.pathKey() });
    };
    const onTyping = (e: TypingEvent) => {
      if (clearTimer.current) clearTimeout(clearTimer.current);
      if (!e.typing) return setTyping(null);
      setTyping({ name: e.name, who: e.who });
      clearTimer.current = setTimeout(() => setTyping(null), TYPING_SHOWN_MS);
    };
    ch.bind("pusher:subscription_succeeded", onSubscribed);
    ch.bind("chat.message", onMessage);
    ch.bind("chat.seen", onSeen);
    ch.bind("chat.updated", onUpdated);
    ch.bind("client-typing", onTyping);
    return () => {
      if (clearTimer.current) clearTimeout(clearTimer.current);
      if (idleTimer.current) clearTimeout(idleTimer.current);
      if (sentTyping.current && ch.subscribed) ch.trigger("client-typing", { who: "agent", name: me.name, typing: false } satisfies TypingEvent);
      sentTyping.current = false;
      lastSent.current = 0;
      ch.unbind("pusher:subscription_succeeded", onSubscribed);
      ch.unbind("chat.message", onMessage);
      ch.unbind("chat.seen", onSeen);
      ch.unbind("chat.updated", onUpdated);
      ch.unbind("client-typing", onTyping);
      pusher.unsubscribe(ch.name);
      channelRef.current = null;
    };
  }, [pusher, chatId, enabled, qc, trpc, me.name]);

  const stopTyping = useCallback(() => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    const ch = channelRef.current;
    if (!sentTyping.current) return;
    sentTyping.current = false;
    lastSent.current = 0;
    if (ch?.subscribed) ch.trigger("client-typing", { who: "agent", name: me.name, typing: false } satisfies TypingEvent);
  }, [me.name]);

  /** Call on every keystroke; sends at most every 2 s and stops after 5 s of silence. */
  const notifyTyping = useCallback(() => {
    const ch = channelRef.current;
    if (!ch?.subscribed) return;
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
    if (Date.now() - lastSent.current < TYPING_THROTTLE_MS) return;
    lastSent.current = Date.now();
    sentTyping.current = true;
    ch.trigger("client-typing", { who: "agent", name: me.name, typing: true } satisfies TypingEvent);
  }, [me.name, stopTyping]);

  return { typing, notifyTyping, stopTyping };
}

/** Patches list lines from "chat.activity"; the ids it has no line for in that list. */
export function patchChatList(overview: ChatOverview, e: RealtimeEvents["chat.activity"]): { overview: ChatOverview; missing: number[] } {
  const lines = new Map(e.chats.map((l) => [l.id, l]));
  const patched = new Set<number>();
  const chats = overview.chats.map((c) => {
    const l = lines.get(c.id);
    if (!l) return c;
    patched.add(c.id);
    return { ...c, lastMessage: l.lastMessage, lastMessageAt: l.lastMessageAt, unread: l.unread };
  });
  return { overview: patched.size ? { ...overview, chats } : overview, missing: e.chatIds.filter((id) => !patched.has(id)) };
}

/**
 * Brand-wide chat events (every brand channel the desk is subscribed to). Starts, moves and
 * closes ("chat.changed", with the chat's new line) and messages and read receipts
 * ("chat.activity") patch the chat lists in place; a list is fetched again only when an event
 * cannot be applied to it (no line, a chat it does not have, a list cut off at its limit) or
 * when agents' statuses change its counters. Binds globally on the connection, so it does not
 * depend on who subscribed the channels.
 */
export function useChatDeskEvents() {
  const { pusher } = useRealtime();
  const trpc = useTRPC();
  const qc = useQueryClient();
  useEffect(() => {
    if (!pusher) return;
    // A busy brand changes chats many times a second: fetches are gathered, at most one per
    // LIST_REFRESH_MS (the first at once).
    const lists = atMostEvery(LIST_REFRESH_MS, () => void qc.invalidateQueries({ queryKey: trpc.chat.overview.pathKey() }));
    const archive = atMostEvery(LIST_REFRESH_MS, () => void qc.invalidateQueries({ queryKey: trpc.chat.archive.pathKey() }));
    /** Every chat list of the desk showing this brand. */
    const listsOf = (brandId: string) =>
      qc.getQueriesData<ChatOverview>({ queryKey: trpc.chat.overview.pathKey() }).filter(([key, data]) => {
        const input = (key[1] as { input?: { brandId?: string } } | undefined)?.input;
        return !!data && (!input?.brandId || input.brandId === brandId);
      }) as [QueryKey, ChatOverview][];
    const onChanged = (e: RealtimeEvents["chat.changed"]) => {
      for (const [key, data] of listsOf(e.brandId)) {
        const next = applyChatChange(data, e, CHAT_LIST_LIMIT);
        if (next) qc.setQueryData(key, next);
        else lists.request();
      }
      // The open chat follows its own channel; others are fetched afresh when opened.
      void qc.invalidateQueries({ queryKey: trpc.chat.get.queryKey({ id: e.chatId }), refetchType: "none" });
      if (e.status !== "QUEUED" && e.status !== "ACTIVE") archive.request();
    };
    const onActivity = (e: RealtimeEvents["chat.activity"]) => {
      for (const [key, data] of listsOf(e.brandId)) {
        const { overview, missing } = patchChatList(data, e);
        if (overview !== data) qc.setQueryData(key, overview);
        // A chat this list does not show yet (or a line the server could not send): fetch the list.
        if (missing.length) lists.request();
      }
      for (const id of e.chatIds) void qc.invalidateQueries({ queryKey: trpc.chat.get.queryKey({ id }), refetchType: "none" });
    };
    const onStatus = () => lists.request();
    pusher.bind("chat.changed", onChanged);
    pusher.bind("chat.activity", onActivity);
    pusher.bind("agent.status", onStatus);
    return () => {
      lists.cancel();
      archive.cancel();
      pusher.unbind("chat.changed", onChanged);
      pusher.unbind("chat.activity", onActivity);
      pusher.unbind("agent.status", onStatus);
    };
  }, [pusher, qc, trpc]);
}
