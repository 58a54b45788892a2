"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { toast } from "sonner";
import { useRealtime } from "@/components/realtime/realtime-provider";
import { userChannel, type RealtimeEvents } from "@/lib/realtime/channels";
import { useTRPC } from "@/lib/trpc/react";

const HEARTBEAT_MS = 60_000;

/**
 * Mounted once in the desk layout for users with chats.answer: tells the server
 * every minute that this agent still has the desk open (chat assignment only goes
 * to present agents) and announces chats assigned to them, on any desk page.
 */
export function AgentHeartbeat({ userId }: { userId: string }) {
  const t = useTranslations("chats");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const { pusher } = useRealtime();
  // On the Chats page the new chat appears in the list itself; a toast there would only
  // cover the composer's send button.
  const pathname = usePathname();
  const onChatsPage = useRef(false);
  onChatsPage.current = pathname === "/chats";
  const beat = useMutation(trpc.chat.heartbeat.mutationOptions());
  const beatRef = useRef(beat.mutate);
  beatRef.current = beat.mutate;

  useEffect(() => {
    const send = () => beatRef.current({});
    send();
    const id = setInterval(send, HEARTBEAT_MS);
    // A tab woken from sleep reports back at once instead of waiting for the next tick.
    const onVisible = () => {
      if (document.visibilityState === "visible") send();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);

  useEffect(() => {
    if (!pusher) return;
    const onAssigned = (e: RealtimeEvents["chat.assigned"]) => {
      void qc.invalidateQueries({ queryKey: trpc.chat.overview.pathKey() });
      const open = () => router.push(`/chats?chat=${e.chatId}`);
      if (!onChatsPage.current) toast.info(t("assignedToast", { id: e.chatId }), { id: `chat-assigned-${e.chatId}`, action: { label: t("open"), onClick: open }, duration: 10_000 });
      if (document.visibilityState === "hidden" && typeof Notification !== "undefined" && Notification.permission === "granted") {
        const n = new Notification(t("assignedToast", { id: e.chatId }), { tag: `chat-${e.chatId}` });
        n.onclick = () => {
          window.focus();
          open();
        };
      }
    };
    // The desk's RealtimeProvider owns the user channel; this only adds a listener (subscribe returns the same channel).
    const ch = pusher.channel(userChannel(userId)) ?? pusher.subscribe(userChannel(userId));
    ch.bind("chat.assigned", onAssigned);
    return () => {
      ch.unbind("chat.assigned", onAssigned);
    };
  }, [pusher, userId, qc, trpc, router, t]);

  return null;
}
