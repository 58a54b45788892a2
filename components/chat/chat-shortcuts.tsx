"use client";
import { useTranslations } from "next-intl";
import { Dialog } from "@/components/admin/dialog";

const KEYS = [
  ["j / k", "move"],
  ["r", "reply"],
  ["Enter", "send"],
  ["Shift + Enter", "newline"],
  ["/", "canned"],
  ["e", "resolve"],
  ["Esc", "leave"],
  ["?", "help"],
] as const;

export function ChatShortcuts({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useTranslations("chats.shortcuts");
  return (
    <Dialog open={open} onClose={onClose} title={t("title")}>
      <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm" data-testid="shortcut-help">
        {KEYS.map(([k, v]) => (
          <div key={k} className="contents">
            <dt><kbd className="rounded border border-gray-300 bg-gray-50 px-1.5 py-0.5 font-mono text-xs">{k}</kbd></dt>
            <dd>{t(v)}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
