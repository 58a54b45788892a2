"use client";
import { formatDuration, type Units } from "@/components/reports/format";
import { useTranslations } from "next-intl";
import { useSyncExternalStore } from "react";

/**
 * One shared one-second clock for every "waiting 3m 12s" on screen: only the leaves
 * that show a duration re-render, nothing is fetched.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(cb: () => void) {
  listeners.add(cb);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 1000);
  }
  return () => {
    listeners.delete(cb);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useNow() {
  return useSyncExternalStore(subscribe, () => now, () => 0);
}

const EN: Units = { d: "d", h: "h", m: "m", s: "s" };

/** Compact elapsed time: 42s, 3m 05s, 1h 07m, 2d 4h (the reports' duration format, never negative). */
export function formatElapsed(seconds: number, u: Units = EN) {
  return formatDuration(Math.max(0, Math.floor(seconds)), u);
}

/** A live "time since" label; renders nothing on the server to avoid hydration drift. */
export function Since({ at, className, testId }: { at: string | null; className?: string; testId?: string }) {
  const t = useNow();
  const tu = useTranslations("chats.units");
  const units = { d: tu("d"), h: tu("h"), m: tu("m"), s: tu("s") };
  if (!at) return <span className={className} data-testid={testId}>—</span>;
  return (
    <span className={className} data-testid={testId} suppressHydrationWarning>
      {t ? formatElapsed((t - new Date(at).getTime()) / 1000, units) : "\u00a0"}
    </span>
  );
}
