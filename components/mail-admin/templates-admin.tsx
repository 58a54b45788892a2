"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { SelectField } from "@/components/ui/field";
import { Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { cn } from "@/components/ui/cn";
import { TemplateEditor } from "@/components/mail-admin/template-editor";
import { AppearanceForm } from "@/components/mail-admin/appearance-form";
import { LOCALE_NAMES, LOCALES, type Locale } from "@/lib/i18n/config";
import { useTRPC } from "@/lib/trpc/react";

/** E11: every template per brand and language, and each brand's look. */
export function TemplatesAdmin() {
  const t = useTranslations("mailAdmin.templates");
  const trpc = useTRPC();
  const brands = useQuery(trpc.me.brands.queryOptions());
  const catalog = useQuery(trpc.templates.catalog.queryOptions());
  const [brandId, setBrandId] = useState<string | null>(null);
  const [key, setKey] = useState<string>("agent_reply");
  const [language, setLanguage] = useState<Locale>("en");
  const brand = brands.data?.find((b) => b.id === brandId) ?? brands.data?.[0];
  const entry = catalog.data?.find((c) => c.key === key);

  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} />
      {brands.isLoading || catalog.isLoading ? (
        <Card><Skeleton /></Card>
      ) : !brand || !catalog.data ? (
        <Card><EmptyState title={t("title")} /></Card>
      ) : (
        <>
          <div className="mb-4 flex flex-wrap items-end gap-4">
            <div className="w-56">
              <SelectField label={t("brand")} value={brand.id} onChange={(e) => setBrandId(e.target.value)} options={brands.data!.map((b) => ({ value: b.id, label: b.name }))} data-testid="template-brand" />
            </div>
            <div role="tablist" aria-label={t("language")} className="inline-flex rounded-md ring-1 ring-gray-300">
              {LOCALES.map((l) => (
                <button
                  key={l}
                  type="button"
                  role="tab"
                  aria-selected={language === l}
                  onClick={() => setLanguage(l)}
                  className={cn("px-3 py-1.5 text-sm first:rounded-l-md last:rounded-r-md", language === l ? "bg-indigo-600 text-white" : "bg-white")}
                  data-testid={`template-lang-${l}`}
                >
                  {LOCALE_NAMES[l]}
                </button>
              ))}
            </div>
          </div>
          <div className="grid gap-4 lg:grid-cols-[16rem_1fr]">
            <Card className="h-fit">
              <nav aria-label={t("template")}>
                <ul className="divide-y divide-gray-100 text-sm">
                  {catalog.data.map((c) => (
                    <li key={c.key}>
                      <button
                        type="button"
                        aria-current={c.key === key ? "true" : undefined}
                        onClick={() => setKey(c.key)}
                        className={cn("w-full px-4 py-2 text-left", c.key === key ? "bg-indigo-50 font-medium text-indigo-700" : "hover:bg-gray-50")}
                      >
                        {t(`keys.${c.key as "agent_reply"}`)}
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
            </Card>
            {entry && <TemplateEditor key={`${brand.id}:${key}:${language}`} brandId={brand.id} templateKey={entry.key} language={language} placeholders={entry.placeholders} deskWide={entry.deskWide} />}
          </div>
          <AppearanceForm key={brand.id} brandId={brand.id} brandName={brand.name} />
        </>
      )}
    </div>
  );
}
