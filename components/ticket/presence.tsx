"use client";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import type { PresenceChannel } from "pusher-js";
import { ticketPresenceChannel } from "@/lib/realtime/channels";
import { useRealtime } from "@/components/realtime/realtime-provider";

type Member = { id: string; info: { name: string } };

/**
 * T14: who else has this ticket open, and who is typing a reply — through the
 * presence channel (a person with two tabs is one member) and client events.
 */
export function useTicketPresence(ticketId: number, me: string) {
  const { pusher } = useRealtime();
  const [others, setOthers] = useState<Member[]>([]);
  const [typing, setTyping] = useState<Record<string, { name: string; until: number }>>({});
  const channelRef = useRef<PresenceChannel | null>(null);
  const lastSent = useRef(0);

  useEffect(() => {
    if (!pusher) return;
    const ch = pusher.subscribe(ticketPresenceChannel(ticketId)) as PresenceChannel;
    channelRef.current = ch;
    const sync = () => {
      const list: Member[] = [];
      ch.members.each((m: Member) => {
        if (m.id !== me) list.push(m);
      });
      setOthers(list);
    };
    ch.bind("pusher:subscription_succeeded", sync);
    ch.bind("pusher:member_added", sync);
    ch.bind("pusher:member_removed", (m: Member) => {
      sync();
      setTyping((t) => Object.fromEntries(Object.entries(t).filter(([id]) => id !== m.id)));
    });
    ch.bind("client-typing", (data: { id: string; name: string }) => setTyping((t) => ({ ...t, [data.id]: { name: data.name, until: Date.now() + 4000 } })));
    const sweep = setInterval(() => setTyping((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v.until > Date.now()))), 1000);
    return () => {
      clearInterval(sweep);
      pusher.unsubscribe(ch.name);
      channelRef.current = null;
    };
  }, [pusher, ticketId, me]);

  const notifyTyping = useCallback(
    (name: string) => {
      const ch = channelRef.current;
      if (!ch?.subscribed || Date.now() - lastSent.current < 1500) return;
      lastSent.current = Date.now();
      ch.trigger("client-typing", { id: me, name });
    },
    [me],
  );

  return { others, typing: Object.values(typing).map((t) => t.name), notifyTyping };
}

export function PresenceBar({ others, typing }: { others: Member[]; typing: string[] }) {
  const t = useTranslations("ticketPage.presence");
  if (!others.length && !typing.length) return null;
  return (
    <div className="flex items-center gap-2 border-b border-amber-200 bg-amber-50 px-6 py-1.5 text-xs text-amber-900" data-testid="presence" role="status">
      <div className="flex -space-x-1">
        {others.map((m) => (
          <span key={m.id} title={m.info.name} className="flex h-5 w-5 items-center justify-center rounded-full bg-amber-200 text-[10px] font-semibold ring-2 ring-amber-50">
            {m.info.name.slice(0, 1)}
          </span>
        ))}
      </div>
      <span data-testid="presence-viewing">{others.length ? t("viewing", { names: others.map((m) => m.info.name).join(", ") }) : ""}</span>
      {typing.length > 0 && <span className="font-medium" data-testid="presence-typing">{t("typing", { names: typing.join(", ") })}</span>}
    </div>
  );
}
