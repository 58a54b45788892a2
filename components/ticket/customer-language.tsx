"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { LOCALE_NAMES, LOCALES, isLocale } from "@/lib/i18n/config";
import { useTRPC } from "@/lib/trpc/react";

const FLAGS: Record<string, string> = { en: "🇬🇧", tr: "🇹🇷" };

/** E11: the customer's language (a flag in the ticket header); it picks the template of every later email. */
export function CustomerLanguage({ number, customerId, language, canEdit }: { number: number; customerId: string; language: string | null; canEdit: boolean }) {
  const t = useTranslations("mailAdmin.language");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const m = useMutation(
    trpc.customers.update.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ number }) }),
      onError: (e) => toast.error(e.message),
    }),
  );
  const current = isLocale(language) ? language : null;
  const title = t("label", { language: current ? LOCALE_NAMES[current] : t("unset") });
  return (
    <label className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-sm ring-1 ring-gray-200" title={title} data-testid="customer-language">
      <span aria-hidden>{current ? FLAGS[current] : "🌐"}</span>
      <span className="sr-only">{t("change")}</span>
      <select
        aria-label={t("change")}
        value={current ?? ""}
        disabled={!canEdit || m.isPending}
        onChange={(e) => m.mutate({ customerId, language: (e.target.value || null) as (typeof LOCALES)[number] | null })}
        className="border-0 bg-transparent py-0 pl-0 pr-6 text-xs font-medium uppercase focus:ring-0"
      >
        <option value="">—</option>
        {LOCALES.map((l) => (
          <option key={l} value={l}>{l.toUpperCase()} · {LOCALE_NAMES[l]}</option>
        ))}
      </select>
    </label>
  );
}
