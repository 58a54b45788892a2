"use client";
import { useTranslations } from "next-intl";
import { Dialog } from "@/components/admin/dialog";

const INBOX_KEYS = [["j / k", "move"], ["x", "select"], ["o / Enter", "open"], ["e", "resolve"], ["#", "trash"], ["a", "assignToMe"], ["/", "search"], ["?", "help"]] as const;

/** The "?" dialog of a keyboard-driven screen: keys and what they do, from the screen's `shortcuts` strings. */
export function ShortcutDialog({ open, onClose, keys, namespace }: { open: boolean; onClose: () => void; keys: readonly (readonly [string, string])[]; namespace: "inbox.shortcuts" | "chats.shortcuts" }) {
  const t = useTranslations(namespace);
  return (
    <Dialog open={open} onClose={onClose} title={t("title")}>
      <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm" data-testid="shortcut-help">
        {keys.map(([k, v]) => (
          <div key={k} className="contents">
            <dt><kbd className="rounded border border-gray-300 bg-gray-50 px-1.5 py-0.5 font-mono text-xs">{k}</kbd></dt>
            <dd>{t(v as "title")}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return <ShortcutDialog open={open} onClose={onClose} keys={INBOX_KEYS} namespace="inbox.shortcuts" />;
}
