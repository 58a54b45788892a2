"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, TextField } from "@/components/ui/field";
import { Alert, Card, Skeleton } from "@/components/ui/misc";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

type Look = { headerText: string | null; signature: string | null; color: string; senderName: string | null };

export function AppearanceForm({ brandId, brandName }: { brandId: string; brandName: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.templates.appearance.queryOptions({ brandId }));
  return (
    <Card className="mt-6 p-4">
      {q.data ? <Loaded brandId={brandId} brandName={brandName} initial={q.data} /> : <Skeleton rows={3} />}
    </Card>
  );
}

function Loaded({ brandId, brandName, initial }: { brandId: string; brandName: string; initial: Look }) {
  const t = useTranslations("mailAdmin.templates");
  const trpc = useTRPC();
  const [f, setF] = useState({ headerText: initial.headerText ?? "", signature: initial.signature ?? "", color: initial.color, senderName: initial.senderName ?? "" });
  const save = useMutation(trpc.templates.saveAppearance.mutationOptions({ onSuccess: () => toast.success(t("appearanceSaved")) }));
  const errs = fieldErrors(save.error);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ brandId, ...f });
      }}
    >
      <h2 className="text-base font-semibold">{t("appearance", { brand: brandName })}</h2>
      {save.error && !Object.keys(errs).length && <Alert>{save.error.message}</Alert>}
      <div className="grid gap-4 md:grid-cols-2">
        <TextField label={t("headerText")} value={f.headerText} onChange={(e) => setF({ ...f, headerText: e.target.value })} error={errs.headerText} />
        <TextField label={t("senderName")} value={f.senderName} onChange={(e) => setF({ ...f, senderName: e.target.value })} error={errs.senderName} hint={t("senderNameHint")} />
        <Field label={t("signature")} htmlFor="appearance-signature" error={errs.signature}>
          <textarea id="appearance-signature" rows={3} value={f.signature} onChange={(e) => setF({ ...f, signature: e.target.value })} className="block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-indigo-600" />
        </Field>
        <TextField label={t("accent")} type="color" value={f.color} onChange={(e) => setF({ ...f, color: e.target.value })} error={errs.color} className="h-10 w-24" />
      </div>
      <div className="flex justify-end">
        <Button type="submit" loading={save.isPending}>{t("saveAppearance")}</Button>
      </div>
    </form>
  );
}
