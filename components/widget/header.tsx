"use client";
import { useTranslations } from "next-intl";
import { ChevronDown } from "lucide-react";
import type { VisitorChatView } from "@/lib/chat/types";
import type { Translate } from "@/components/widget/lib";

const DOT: Record<string, string> = { ONLINE: "bg-emerald-400", BREAK: "bg-amber-400", OFFLINE: "bg-gray-400" };

type Props = {
  brand: { name: string; logoUrl: string | null };
  chat: VisitorChatView | null;
  /** null while the configuration loads. */
  online: boolean | null;
  canEnd: boolean;
  onEnd: () => void;
  /** Only inside the host page's frame: hides the panel. */
  onClose: (() => void) | null;
};

export function Header({ brand, chat, online, canEnd, onEnd, onClose }: Props) {
  const t = useTranslations("widget") as Translate;
  let subline;
  if (chat?.status === "QUEUED") {
    subline = (
      <span data-testid="chat-queue" aria-live="polite">
        {chat.queuePosition ? t("queue", { position: chat.queuePosition }) : t("queueNoPosition")}
      </span>
    );
  } else if (chat?.status === "ACTIVE" && chat.agent) {
    subline = (
      <span className="flex items-center gap-1.5" data-testid="chat-agent">
        <span className={`h-2 w-2 shrink-0 rounded-full ring-2 ring-white/40 ${DOT[chat.agent.status] ?? DOT.ONLINE}`} aria-hidden />
        <span className="truncate">
          <span className="font-medium">{chat.agent.name}</span> · {t("agentStatus", { status: chat.agent.status })}
        </span>
      </span>
    );
  } else if (online !== null) {
    subline = <span>{online ? t("statusOnline") : t("statusOffline")}</span>;
  }

  return (
    <header className="flex h-16 shrink-0 items-center gap-3 bg-[var(--brand)] px-4 text-[var(--brand-fg)]">
      {brand.logoUrl ? (
        <img src={brand.logoUrl} alt="" className="h-9 w-9 shrink-0 rounded-full bg-white object-contain p-1" />
      ) : (
        <span className="flex h-9 w-9 shrink-0 items-center justify-center rounded-full bg-white/20 text-sm font-bold" aria-hidden>
          {brand.name.slice(0, 1).toUpperCase()}
        </span>
      )}
      <div className="min-w-0 flex-1">
        <h1 className="truncate text-[15px] leading-5 font-semibold">{brand.name}</h1>
        <div className="line-clamp-2 min-h-4 text-xs leading-4 opacity-90">{subline}</div>
      </div>
      {canEnd && (
        <button
          type="button"
          onClick={onEnd}
          className="shrink-0 rounded-full bg-black/10 px-3 py-1.5 text-xs font-medium transition-colors hover:bg-black/20 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand-fg)]"
          data-testid="chat-end"
        >
          {t("end")}
        </button>
      )}
      {onClose && (
        <button
          type="button"
          onClick={onClose}
          className="-mr-1 flex h-8 w-8 shrink-0 items-center justify-center rounded-full transition-colors hover:bg-black/10 focus-visible:outline-2 focus-visible:outline-[var(--brand-fg)]"
          aria-label={t("close")}
          title={t("close")}
          data-testid="chat-close"
        >
          <ChevronDown className="h-5 w-5" aria-hidden />
        </button>
      )}
    </header>
  );
}
