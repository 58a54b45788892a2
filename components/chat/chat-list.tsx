"use client";
import { useFormatter, useTranslations } from "next-intl";
import type { MouseEvent, ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { Since } from "@/components/chat/use-now";
import type { ChatListItem } from "@/components/chat/types";
import { sortChatList } from "@/lib/chat/list-order";

export type ChatSection = { key: "mine" | "others" | "queue"; items: ChatListItem[] };

/** Mine (active), then the other agents' active chats, then the queue, in sortChatList's order. */
export function sectionChats(chats: ChatListItem[], meId: string): ChatSection[] {
  const sorted = sortChatList(chats, meId);
  const mine = sorted.filter((c) => c.status === "ACTIVE" && c.assignee?.id === meId);
  const others = sorted.filter((c) => c.status === "ACTIVE" && c.assignee?.id !== meId);
  const queue = sorted.filter((c) => c.status === "QUEUED");
  return [
    { key: "mine" as const, items: mine },
    { key: "others" as const, items: others },
    { key: "queue" as const, items: queue },
  ].filter((s) => s.items.length);
}

export function ChatList({ sections, selected, onSelect, empty }: { sections: ChatSection[]; selected: number | null; onSelect: (id: number) => void; empty: ReactNode }) {
  const t = useTranslations("chats.list");
  return (
    <div data-testid="chat-list" aria-label={t("label")} role="navigation">
      {!sections.length && empty}
      {sections.map((s) => (
        <section key={s.key} aria-labelledby={`chat-section-${s.key}`}>
          <h3 id={`chat-section-${s.key}`} className="sticky top-0 z-[1] flex items-center justify-between border-b border-gray-100 bg-gray-50/95 px-3 py-1 text-[11px] font-medium tracking-wide text-gray-500 uppercase backdrop-blur">
            {t(s.key)}
            <span className="tabular-nums">{s.items.length}</span>
          </h3>
          <ul className="divide-y divide-gray-100">
            {s.items.map((c) => (
              <ChatRow key={c.id} chat={c} active={c.id === selected} section={s.key} onSelect={onSelect} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function ChatRow({ chat: c, active, section, onSelect }: { chat: ChatListItem; active: boolean; section: ChatSection["key"]; onSelect: (id: number) => void }) {
  const t = useTranslations("chats.list");
  const format = useFormatter();
  const unread = c.unread > 0 && section !== "others";
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    onSelect(c.id);
  };
  return (
    <li data-testid="chat-list-item" data-chat-id={c.id} data-status={c.status} data-section={section}>
      <a
        href={`/chats?chat=${c.id}`}
        onClick={onClick}
        aria-current={active ? "true" : undefined}
        className={cn("relative flex h-14 flex-col justify-center gap-0.5 px-3 text-sm hover:bg-gray-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600", active && "bg-indigo-50 hover:bg-indigo-50")}
      >
        {active && <span className="absolute inset-y-0 left-0 w-0.5 bg-indigo-500" aria-hidden />}
        <span className="flex items-center gap-2">
          {unread && <span className="h-2 w-2 shrink-0 rounded-full bg-indigo-500" aria-hidden />}
          <span className={cn("min-w-0 flex-1 truncate", unread ? "font-semibold text-gray-900" : "text-gray-800")}>{c.visitorName}</span>
          {c.status === "QUEUED" ? (
            <span className="shrink-0 text-xs font-medium text-amber-700 tabular-nums" title={t("waitingSince")}>
              <Since at={c.queuedAt} />
            </span>
          ) : (
            <time className="shrink-0 text-xs text-gray-400 tabular-nums" dateTime={c.lastMessageAt} title={format.dateTime(new Date(c.lastMessageAt), { dateStyle: "medium", timeStyle: "short" })}>
              {format.dateTime(new Date(c.lastMessageAt), { timeStyle: "short" })}
            </time>
          )}
        </span>
        <span className="flex items-center gap-2 text-xs">
          <span className={cn("min-w-0 flex-1 truncate", unread ? "text-gray-700" : "text-gray-500")}>{c.lastMessage ?? "—"}</span>
          {section === "others" && c.assignee && <span className="max-w-[6rem] shrink-0 truncate text-gray-400">{c.assignee.name}</span>}
          {unread && (
            <span className="shrink-0 rounded-full bg-indigo-600 px-1.5 text-[11px] font-semibold text-white tabular-nums" aria-label={t("unread", { count: c.unread })}>
              {c.unread}
            </span>
          )}
        </span>
      </a>
    </li>
  );
}

export function ChatListSkeleton() {
  return (
    <div className="divide-y divide-gray-100" aria-busy="true">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="flex h-14 flex-col justify-center gap-1.5 px-3">
          <div className="h-3 w-1/2 animate-pulse rounded bg-gray-200" />
          <div className="h-2.5 w-3/4 animate-pulse rounded bg-gray-100" />
        </div>
      ))}
    </div>
  );
}
