"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { cn } from "@/components/ui/cn";

/** Active ⇄ Archive, on every chat screen. */
export function ChatTabs({ current, activeCount }: { current: "active" | "archive" | null; activeCount?: number }) {
  const t = useTranslations("chats.tabs");
  const tabs = [
    { key: "active", href: "/chats", label: t("active") },
    { key: "archive", href: "/chats/archive", label: t("archive") },
  ] as const;
  return (
    <nav aria-label={t("label")} className="flex h-full items-stretch gap-4" data-testid="chat-tabs">
      {tabs.map((tab) => (
        <Link
          key={tab.key}
          href={tab.href}
          aria-current={current === tab.key ? "page" : undefined}
          className={cn(
            "-mb-px inline-flex items-center gap-1.5 border-b-2 px-0.5 text-sm font-medium",
            current === tab.key ? "border-indigo-600 text-indigo-700" : "border-transparent text-gray-500 hover:text-gray-800",
          )}
          data-testid={`chat-tab-${tab.key}`}
        >
          {tab.label}
          {tab.key === "active" && activeCount !== undefined && (
            <span className="rounded-full bg-gray-100 px-1.5 text-xs text-gray-600 tabular-nums">{activeCount}</span>
          )}
        </Link>
      ))}
    </nav>
  );
}
