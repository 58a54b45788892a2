"use client";
import { useQueryClient } from "@tanstack/react-query";
import Pusher, { type Channel, type PresenceChannel } from "pusher-js";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { brandChannel, userChannel, type TicketChangedEvent, type MessageCreatedEvent } from "@/lib/realtime/channels";
import { useTRPC } from "@/lib/trpc/react";
import { pusherOptions } from "@/lib/realtime/client-options";

export type RealtimeConfig = { key: string; cluster: string; wsHost: string; wsPort: number; forceTLS: boolean };

const Ctx = createContext<{ pusher: Pusher | null; state: string }>({ pusher: null, state: "initialized" });
export const useRealtime = () => useContext(Ctx);

/**
 * One connection per tab. Events update or invalidate React Query caches; after a
 * reconnect everything on screen is refetched, so a missed event costs freshness, never data.
 */
export function RealtimeProvider({ config, brandIds, userId, children }: { config: RealtimeConfig; brandIds: string[]; userId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const trpc = useTRPC();
  const [pusher, setPusher] = useState<Pusher | null>(null);
  const [state, setState] = useState("initialized");

  // Primitive parts, so a new config object with the same values does not reconnect.
  const { key, cluster, wsHost, wsPort, forceTLS } = config;
  useEffect(() => {
    const p = new Pusher(key, pusherOptions({ key, cluster, wsHost, wsPort, forceTLS }));
    // Signed in as the agent: deactivating them closes this connection at once.
    p.signin();
    let wasConnected = false;
    p.connection.bind("state_change", ({ current }: { current: string }) => {
      setState(current);
      if (current === "connected") {
        if (wasConnected) void qc.invalidateQueries();
        wasConnected = true;
      }
    });
    setPusher(p);
    return () => p.disconnect();
  }, [key, cluster, wsHost, wsPort, forceTLS, qc]);

  const brandKey = brandIds.join(",");
  useEffect(() => {
    if (!pusher) return;
    const channels: Channel[] = [...brandKey.split(",").filter(Boolean).map(brandChannel), userChannel(userId)].map((c) => pusher.subscribe(c));
    const onTicket = (e: TicketChangedEvent) => {
      void qc.invalidateQueries({ queryKey: trpc.tickets.list.pathKey() });
      void qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ number: e.number }) });
    };
    const onMessage = (e: MessageCreatedEvent) => void qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ number: e.number }) });
    for (const ch of channels) {
      ch.bind("ticket.created", onTicket);
      ch.bind("ticket.updated", onTicket);
      ch.bind("message.created", onMessage);
    }
    return () => channels.forEach((ch) => pusher.unsubscribe(ch.name));
  }, [pusher, brandKey, userId, qc, trpc]);

  const value = useMemo(() => ({ pusher, state }), [pusher, state]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export type { PresenceChannel };
