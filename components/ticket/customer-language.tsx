"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Languages } from "lucide-react";
import { toast } from "sonner";
import { LOCALE_NAMES, LOCALES, isLocale } from "@/lib/i18n/config";
import { useTRPC } from "@/lib/trpc/react";

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
    <label className="mt-0.5 inline-flex h-7 shrink-0 items-center gap-1 rounded-md bg-white pl-2 text-gray-600 ring-1 ring-gray-300 focus-within:ring-2 focus-within:ring-indigo-600" title={title} data-testid="customer-language">
      <Languages className="h-3.5 w-3.5" aria-hidden />
      <select
        aria-label={title}
        value={current ?? ""}
        disabled={!canEdit || m.isPending}
        onChange={(e) => m.mutate({ customerId, language: (e.target.value || null) as (typeof LOCALES)[number] | null })}
        className="w-16 border-0 bg-transparent py-0 pl-1 pr-6 text-xs font-semibold focus:ring-0"
      >
        <option value="">—</option>
        {LOCALES.map((l) => (
          <option key={l} value={l} title={LOCALE_NAMES[l]}>{l.toUpperCase()}</option>
        ))}
      </select>
    </label>
  );
}
