"use client";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { Since } from "@/components/chat/use-now";
import { AGENT_DOT, type ChatOverview } from "@/components/chat/types";

function Counter({ label, children, testId, className }: { label: string; children: ReactNode; testId?: string; className?: string }) {
  return (
    <div className="flex items-baseline gap-1.5 whitespace-nowrap">
      <span className="text-xs text-gray-500">{label}</span>
      <span className={cn("text-sm font-semibold text-gray-900 tabular-nums", className)} data-testid={testId}>{children}</span>
    </div>
  );
}

/** Queue, longest wait, agents online and my own state — all live, nothing jumps while loading. */
export function ChatCounters({ data }: { data: ChatOverview | undefined }) {
  const t = useTranslations("chats.counters");
  const tu = useTranslations("userMenu.status");
  const placeholder = <span className="inline-block h-3 w-6 animate-pulse rounded bg-gray-200 align-middle" />;
  const me = data?.me;
  const full = !!me && me.activeChats >= me.capacity;
  return (
    <div className="flex min-w-0 items-center gap-5 overflow-hidden" aria-live="polite" aria-label={t("label")} role="group">
      <Counter label={t("queue")} testId="chat-counter-queue" className={data && data.queue > 0 ? "text-amber-700" : undefined}>
        {data ? data.queue : placeholder}
      </Counter>
      <Counter label={t("longestWait")} testId="chat-counter-wait" className={cn("inline-block min-w-[4.5rem]", data?.longestWaitSince && "text-amber-700")}>
        {data ? <Since at={data.longestWaitSince} /> : placeholder}
      </Counter>
      <Counter label={t("online")} testId="chat-counter-online">
        {data ? data.onlineAgents : placeholder}
      </Counter>
      <span className="h-4 w-px bg-gray-200" aria-hidden />
      <Counter label={t("me")} testId="chat-counter-status">
        {me ? (
          <span className="inline-flex items-center gap-1.5 font-medium">
            <span className={cn("h-2 w-2 rounded-full", AGENT_DOT[me.status])} aria-hidden />
            {tu(me.status)}
            <Since at={me.statusAt} className="inline-block min-w-[4.5rem] font-normal text-gray-500" />
          </span>
        ) : (
          placeholder
        )}
      </Counter>
      <Counter label={t("myChats")} testId="chat-counter-mine" className={full ? "text-amber-700" : undefined}>
        {me ? `${me.activeChats} / ${me.capacity}` : placeholder}
      </Counter>
    </div>
  );
}
