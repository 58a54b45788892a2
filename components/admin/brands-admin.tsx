"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Alert, Card, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/config";

type BrandForm = { brandId?: string; slug: string; name: string; color: string; defaultLanguage: (typeof LOCALES)[number]; timezone: string };

export function BrandsAdmin(_: { currentUserId: string }) {
  const t = useTranslations("admin.brands");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const brands = useQuery(trpc.brands.list.queryOptions());
  const [form, setForm] = useState<BrandForm | null>(null);
  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} actions={<Button onClick={() => setForm({ slug: "", name: "", color: "#4f46e5", defaultLanguage: "en", timezone: "UTC" })}>{t("create")}</Button>} />
      <Card>
        {brands.isLoading ? (
          <Skeleton />
        ) : (
          <ul className="divide-y divide-gray-100">
            {brands.data?.map((b) => (
              <li key={b.id} className="flex items-center gap-3 px-4 py-3 text-sm">
                <span className="h-4 w-4 rounded-full" style={{ background: b.color }} aria-hidden />
                <div className="flex-1">
                  <div className="font-medium">{b.name}</div>
                  <div className="text-xs text-gray-500">
                    /c/{b.slug} · {b.timezone} · {LOCALE_NAMES[b.defaultLanguage as "en"] ?? b.defaultLanguage}
                  </div>
                </div>
                <Button size="sm" variant="ghost" onClick={() => setForm({ brandId: b.id, slug: b.slug, name: b.name, color: b.color, defaultLanguage: b.defaultLanguage as "en", timezone: b.timezone })}>
                  {tc("edit")}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Dialog open={!!form} onClose={() => setForm(null)} title={form?.brandId ? t("edit") : t("create")}>
        {form && (
          <BrandEditor
            initial={form}
            onDone={() => {
              setForm(null);
              qc.invalidateQueries({ queryKey: trpc.brands.list.queryKey() });
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

function BrandEditor({ initial, onDone }: { initial: BrandForm; onDone: () => void }) {
  const t = useTranslations("admin.brands");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const [f, setF] = useState(initial);
  const create = useMutation(trpc.brands.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.brands.update.mutationOptions({ onSuccess: onDone }));
  const m = f.brandId ? update : create;
  const errs = fieldErrors(m.error);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const { brandId, ...data } = f;
        if (brandId) update.mutate({ ...data, brandId });
        else create.mutate(data);
      }}
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <TextField label={t("name")} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} error={errs.name} />
      <TextField label={t("slug")} value={f.slug} onChange={(e) => setF({ ...f, slug: e.target.value })} error={errs.slug} hint={t("slugHint")} />
      <TextField label={t("color")} type="color" value={f.color} onChange={(e) => setF({ ...f, color: e.target.value })} error={errs.color} className="h-10" />
      <SelectField label={t("language")} value={f.defaultLanguage} onChange={(e) => setF({ ...f, defaultLanguage: e.target.value as "en" })} options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} />
      <TextField label={t("timezone")} value={f.timezone} onChange={(e) => setF({ ...f, timezone: e.target.value })} error={errs.timezone} hint="Europe/Istanbul, America/New_York…" />
      <div className="flex justify-end">
        <Button type="submit" loading={m.isPending}>
          {tc("save")}
        </Button>
      </div>
    </form>
  );
}
