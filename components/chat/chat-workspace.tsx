"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Keyboard, MessagesSquare } from "lucide-react";
import { Alert } from "@/components/ui/misc";
import { useTRPC } from "@/lib/trpc/react";
import { ChatCounters } from "@/components/chat/chat-counters";
import { ChatList, ChatListSkeleton, sectionChats } from "@/components/chat/chat-list";
import { ChatPane } from "@/components/chat/chat-pane";
import { ChatShortcuts } from "@/components/chat/chat-shortcuts";
import { ChatTabs } from "@/components/chat/chat-tabs";
import { useChatDeskEvents } from "@/components/chat/use-chat-realtime";
import type { ChatMe, ChatOptions } from "@/components/chat/types";

/** C4: the live chat workspace — list, conversation, visitor — like the ticket inbox. */
export function ChatWorkspace({ brandId, me, options }: { brandId: string | null; me: ChatMe; options: ChatOptions }) {
  const t = useTranslations("chats");
  const trpc = useTRPC();
  const params = useSearchParams();
  const selected = Number(params.get("chat")) || null;
  const [help, setHelp] = useState(false);
  useChatDeskEvents();

  const overview = useQuery(trpc.chat.overview.queryOptions({ brandId: brandId ?? undefined }, { staleTime: 15_000 }));
  const sections = useMemo(() => sectionChats(overview.data?.chats ?? [], me.id), [overview.data?.chats, me.id]);
  const flat = useMemo(() => sections.flatMap((s) => s.items), [sections]);

  // The open chat lives in the URL (shareable, survives a reload) without a server round trip.
  const select = useCallback((id: number) => {
    window.history.replaceState(null, "", `/chats?chat=${id}`);
  }, []);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement;
      if (el.closest("input, textarea, select, [contenteditable=true], dialog[open]") || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "j" || e.key === "k") {
        if (!flat.length) return;
        const i = flat.findIndex((c) => c.id === selected);
        const next = i === -1 ? 0 : Math.max(0, Math.min(flat.length - 1, i + (e.key === "j" ? 1 : -1)));
        select(flat[next]!.id);
      } else if (e.key === "?") {
        setHelp(true);
      } else return;
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [flat, selected, select]);

  useEffect(() => {
    if (selected) document.querySelector(`[data-testid="chat-list-item"][data-chat-id="${selected}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  return (
    <div className="flex h-full flex-col">
      <h1 className="sr-only">{t("title")}</h1>
      <div className="flex h-11 shrink-0 items-center gap-6 border-b border-gray-200 bg-white px-4">
        <ChatTabs current="active" activeCount={overview.data?.chats.length} />
        <span className="h-5 w-px bg-gray-200" aria-hidden />
        <ChatCounters data={overview.data} />
        <button type="button" onClick={() => setHelp(true)} className="ml-auto rounded p-1.5 text-gray-400 hover:bg-gray-100 hover:text-gray-700" aria-label={t("shortcuts.title")} title={t("shortcuts.title")}>
          <Keyboard className="h-4 w-4" />
        </button>
      </div>
      <div className="flex min-h-0 flex-1">
        <aside className="w-80 shrink-0 overflow-y-auto border-r border-gray-200 bg-white">
          {overview.isPending ? (
            <ChatListSkeleton />
          ) : overview.isError ? (
            <div className="p-3"><Alert>{overview.error.message}</Alert></div>
          ) : (
            <ChatList
              sections={sections}
              selected={selected}
              onSelect={select}
              empty={
                <div className="flex flex-col items-center px-6 py-16 text-center" data-testid="chat-list-empty">
                  <MessagesSquare className="mb-2 h-6 w-6 text-gray-300" aria-hidden />
                  <p className="text-sm font-medium text-gray-900">{t("list.emptyTitle")}</p>
                  <p className="mt-1 text-xs text-gray-500">{t("list.emptyBody")}</p>
                </div>
              }
            />
          )}
        </aside>
        {selected ? (
          <ChatPane key={selected} chatId={selected} me={me} options={options} mode="live" />
        ) : (
          <>
            <section className="flex min-w-0 flex-1 flex-col items-center justify-center bg-gray-50 text-center" data-testid="chat-select-prompt">
              <MessagesSquare className="mb-2 h-8 w-8 text-gray-300" aria-hidden />
              <p className="text-sm font-medium text-gray-700">{t("conversation.selectTitle")}</p>
              <p className="mt-1 text-xs text-gray-500">{t("conversation.selectBody")}</p>
            </section>
            <aside className="w-72 shrink-0 border-l border-gray-200 bg-white" aria-hidden />
          </>
        )}
      </div>
      <ChatShortcuts open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
