"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Check, Copy } from "lucide-react";

/** Copies a value to the clipboard and says so for a moment. */
export function CopyButton({ value }: { value: string }) {
  const t = useTranslations("mailAdmin.mailboxes");
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => {});
        setDone(true);
        setTimeout(() => setDone(false), 1500);
      }}
      className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs text-gray-600 hover:bg-gray-100"
      aria-label={t("copyAddress", { address: value })}
      data-testid="copy-forwarding"
    >
      {done ? <Check className="h-3 w-3 text-green-600" aria-hidden /> : <Copy className="h-3 w-3" aria-hidden />}
      <span aria-live="polite">{done ? t("copied") : t("copy")}</span>
    </button>
  );
}
