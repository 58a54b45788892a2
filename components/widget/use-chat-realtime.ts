"use client";
import { pusherOptions } from "@/lib/realtime/client-options";
import { chatChannel } from "@/lib/realtime/channels";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Channel } from "pusher-js";
import type { ChatMessageView, ChatStatus } from "@/lib/chat/types";

export type RealtimeProps = { key: string; cluster: string; wsHost: string; wsPort: number; forceTLS: boolean };

export type ChatEvents = {
  onMessage: (e: { chatId: number; message: ChatMessageView }) => void;
  onSeen: (e: { chatId: number; by: "visitor" | "agent"; upToId: number; at: string }) => void;
  onUpdated: (e: { chatId: number; status: ChatStatus; agent: { name: string; status: string } | null; ticketNumber: number | null; endedAt: string | null }) => void;
  onTyping: (e: { who: "visitor" | "agent"; name: string; typing: boolean }) => void;
  /** The connection came back after a drop: events may have been missed. */
  onReconnect: () => void;
};

const TYPING_EVERY_MS = 2000;

/**
 * The chat's private channel, authorised with the visitor token. pusher-js is loaded
 * only once a chat exists, so visitors who never chat download none of it.
 */
export function useChatRealtime(config: RealtimeProps, token: string | null, chatId: number | null, events: ChatEvents) {
  const handlers = useRef(events);
  useEffect(() => {
    handlers.current = events;
  });
  const channel = useRef<Channel | null>(null);
  const [connected, setConnected] = useState(false);

  // Primitive parts, so a new config object with the same values does not reconnect.
  const { key, cluster, wsHost, wsPort, forceTLS } = config;
  useEffect(() => {
    if (!token || !chatId) return;
    let cancelled = false;
    let disconnect = () => {};
    void import("pusher-js").then(({ default: Pusher }) => {
      if (cancelled) return;
      const pusher = new Pusher(key, pusherOptions({ key, cluster, wsHost, wsPort, forceTLS }, { visitor_token: token }));
      let wasConnected = false;
      pusher.connection.bind("state_change", ({ current }: { current: string }) => {
        setConnected(current === "connected");
        if (current === "connected") {
          if (wasConnected) handlers.current.onReconnect();
          wasConnected = true;
        }
      });
      const ch = pusher.subscribe(chatChannel(chatId));
      ch.bind("chat.message", (e: Parameters<ChatEvents["onMessage"]>[0]) => e?.chatId === chatId && handlers.current.onMessage(e));
      ch.bind("chat.seen", (e: Parameters<ChatEvents["onSeen"]>[0]) => e?.chatId === chatId && handlers.current.onSeen(e));
      ch.bind("chat.updated", (e: Parameters<ChatEvents["onUpdated"]>[0]) => e?.chatId === chatId && handlers.current.onUpdated(e));
      ch.bind("client-typing", (e: Parameters<ChatEvents["onTyping"]>[0]) => e && handlers.current.onTyping(e));
      channel.current = ch;
      disconnect = () => {
        channel.current = null;
        pusher.disconnect();
      };
    });
    return () => {
      cancelled = true;
      disconnect();
      setConnected(false);
    };
  }, [key, cluster, wsHost, wsPort, forceTLS, token, chatId]);

  const lastTyping = useRef(0);
  const typingShown = useRef(false);
  /** Tells the agent the visitor is typing (at most every 2 s), or has stopped. */
  const sendTyping = useCallback((name: string, typing: boolean) => {
    const ch = channel.current;
    if (!ch?.subscribed) return;
    const now = Date.now();
    if (typing) {
      if (now - lastTyping.current < TYPING_EVERY_MS) return;
      lastTyping.current = now;
      typingShown.current = true;
    } else {
      if (!typingShown.current) return;
      typingShown.current = false;
      lastTyping.current = 0;
    }
    ch.trigger("client-typing", { who: "visitor", name, typing });
  }, []);

  return { connected, sendTyping };
}
