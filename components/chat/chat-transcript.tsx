"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { ChatPane } from "@/components/chat/chat-pane";
import { ChatTabs } from "@/components/chat/chat-tabs";
import { useChatDeskEvents } from "@/components/chat/use-chat-realtime";
import type { ChatDetail, ChatMe, ChatOptions } from "@/components/chat/types";

export function ChatTranscript({ id, initial, me, options }: { id: number; initial: ChatDetail; me: ChatMe; options: ChatOptions }) {
  const t = useTranslations("chats");
  useChatDeskEvents();
  const live = initial.status === "QUEUED" || initial.status === "ACTIVE";
  return (
    <div className="flex h-full flex-col">
      <h1 className="sr-only">{t("transcript.title", { id })}</h1>
      <div className="flex h-11 shrink-0 items-center gap-6 border-b border-gray-200 bg-white px-4">
        <ChatTabs current={live ? "active" : "archive"} />
        <span className="h-5 w-px bg-gray-200" aria-hidden />
        <Link href={live ? `/chats?chat=${id}` : "/chats/archive"} className="inline-flex items-center gap-1 text-sm text-gray-600 hover:text-indigo-700" data-testid="chat-back">
          <ArrowLeft className="h-4 w-4" aria-hidden />
          {live ? t("transcript.openLive") : t("transcript.backToArchive")}
        </Link>
      </div>
      <div className="flex min-h-0 flex-1">
        <ChatPane chatId={id} me={me} options={options} mode="page" initial={initial} />
      </div>
    </div>
  );
}
