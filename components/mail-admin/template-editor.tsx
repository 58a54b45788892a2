"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, TextField } from "@/components/ui/field";
import { Alert, Badge, Card, Skeleton } from "@/components/ui/misc";
import type { Locale } from "@/lib/i18n/config";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import type { TemplateKey } from "@/lib/mail/templates/keys";

type Props = { brandId: string; templateKey: TemplateKey; language: Locale; placeholders: string[]; deskWide: boolean };

export function TemplateEditor(props: Props) {
  const trpc = useTRPC();
  const ref = { brandId: props.brandId, key: props.templateKey, language: props.language };
  const q = useQuery(trpc.templates.get.queryOptions(ref));
  if (!q.data) return <Card><Skeleton rows={6} /></Card>;
  return <Loaded {...props} initial={q.data} />;
}

function Loaded({ brandId, templateKey, language, placeholders, deskWide, initial }: Props & { initial: { subject: string; body: string; custom: boolean } }) {
  const t = useTranslations("mailAdmin.templates");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const ref = { brandId, key: templateKey, language };
  const [subject, setSubject] = useState(initial.subject);
  const [body, setBody] = useState(initial.body);
  const [custom, setCustom] = useState(initial.custom);
  const [lastField, setLastField] = useState<"subject" | "body">("body");
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.templates.get.queryKey(ref) });
  const preview = useMutation(trpc.templates.preview.mutationOptions());
  const save = useMutation(
    trpc.templates.save.mutationOptions({
      onSuccess: (r) => {
        setCustom(r.custom);
        toast.success(t("saved"));
        refresh();
      },
    }),
  );
  const reset = useMutation(
    trpc.templates.reset.mutationOptions({
      onSuccess: (r) => {
        setSubject(r.subject);
        setBody(r.body);
        setCustom(false);
        preview.reset();
        toast.success(t("resetDone"));
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const err = save.error ?? preview.error;
  const errs = fieldErrors(err);

  function insert(name: string) {
    const token = `{{${name}}}`;
    const el = lastField === "subject" ? subjectRef.current : bodyRef.current;
    const value = lastField === "subject" ? subject : body;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const next = value.slice(0, start) + token + value.slice(end);
    if (lastField === "subject") setSubject(next);
    else setBody(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  return (
    <div className="space-y-4">
      <Card className="space-y-4 p-4" >
        <div className="flex items-center gap-2">
          <h2 className="flex-1 text-base font-semibold">{t(`keys.${templateKey}`)}</h2>
          <Badge color={custom ? "indigo" : "gray"}>{custom ? t("custom") : t("default")}</Badge>
        </div>
        {templateKey === "agent_reply" && <p className="text-xs text-gray-500">{t("tokenNote")}</p>}
        {deskWide && <p className="text-xs text-gray-500" data-testid="template-desk-wide">{t("deskWide")}</p>}
        {err && !Object.keys(errs).length && <Alert>{err.message}</Alert>}
        <TextField ref={subjectRef} label={t("subject")} value={subject} onChange={(e) => setSubject(e.target.value)} onFocus={() => setLastField("subject")} error={errs.subject} data-testid="template-subject" />
        <Field label={t("body")} htmlFor="template-body" error={errs.body} hint={t("bodyHint", { body: "{{message.body}}", button: "{{button}}" })}>
          <textarea
            id="template-body"
            ref={bodyRef}
            rows={10}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onFocus={() => setLastField("body")}
            aria-invalid={errs.body ? true : undefined}
            className="block w-full rounded-md border-0 px-3 py-2 font-mono text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
            data-testid="template-body"
          />
        </Field>
        <div>
          <div className="mb-1 text-xs font-medium text-gray-600">{t("placeholders")}</div>
          <div className="flex flex-wrap gap-1">
            {placeholders.map((p) => (
              <button key={p} type="button" onClick={() => insert(p)} aria-label={t("insert", { placeholder: `{{${p}}}` })} className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs text-gray-700 hover:bg-indigo-50 hover:text-indigo-700">
                {`{{${p}}}`}
              </button>
            ))}
          </div>
        </div>
        <div className="flex flex-wrap items-center justify-end gap-2">
          <Button type="button" variant="ghost" onClick={() => reset.mutate(ref)} loading={reset.isPending} disabled={!custom} data-testid="template-reset">{t("reset")}</Button>
          <Button type="button" variant="secondary" onClick={() => preview.mutate({ ...ref, subject, body })} loading={preview.isPending} data-testid="template-preview">{t("preview")}</Button>
          <Button type="button" onClick={() => save.mutate({ ...ref, subject, body })} loading={save.isPending} data-testid="template-save">{t("save")}</Button>
        </div>
      </Card>
      {preview.data && (
        <Card className="overflow-hidden" >
          <div className="border-b border-gray-100 px-4 py-2 text-xs text-gray-500">{t("previewTitle")}</div>
          <div className="px-4 py-2 text-sm font-medium" data-testid="preview-subject">{preview.data.subject}</div>
          <iframe title={t("previewTitle")} sandbox="" srcDoc={preview.data.html} className="h-80 w-full border-t border-gray-100 bg-white" data-testid="preview-frame" />
        </Card>
      )}
    </div>
  );
}
