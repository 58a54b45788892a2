"use client";
import { useTranslations } from "next-intl";
import { Dialog } from "@/components/admin/dialog";

const KEYS = [["j / k", "move"], ["x", "select"], ["o / Enter", "open"], ["e", "resolve"], ["#", "trash"], ["a", "assignToMe"], ["/", "search"], ["?", "help"]] as const;

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useTranslations("inbox.shortcuts");
  return (
    <Dialog open={open} onClose={onClose} title={t("title")}>
      <dl className="grid grid-cols-[7rem_1fr] gap-y-2 text-sm" data-testid="shortcut-help">
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
