"use client";
import { useEffect, useRef } from "react";
import type { RealtimeEvents } from "@/lib/realtime/channels";
import { useRealtime } from "@/components/realtime/realtime-provider";

/**
 * Calls `handler` for an event on any channel the tab's connection holds (the provider
 * subscribes the brand and user channels). The latest handler is used without rebinding.
 */
export function useRealtimeEvent<E extends keyof RealtimeEvents>(event: E, handler: (data: RealtimeEvents[E]) => void) {
  const { pusher } = useRealtime();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!pusher) return;
    const on = (data: RealtimeEvents[E]) => latest.current(data);
    pusher.bind(event, on);
    return () => void pusher.unbind(event, on);
  }, [pusher, event]);
}

/** Calls `handler` each time the connection comes back after having been lost (not on the first connect). */
export function useOnReconnect(handler: () => void) {
  const { state } = useRealtime();
  const latest = useRef(handler);
  const wasConnected = useRef(false);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (state !== "connected") return;
    if (wasConnected.current) latest.current();
    wasConnected.current = true;
  }, [state]);
}
