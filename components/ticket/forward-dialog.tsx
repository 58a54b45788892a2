"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Forward } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { RecipientInput } from "@/components/ticket/recipient-input";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

/** E8: forward the ticket's conversation to other addresses. */
export function ForwardButton({ number, subject }: { number: number; subject: string }) {
  const t = useTranslations("mailAdmin.forward");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)} data-testid="forward-ticket">
        <Forward className="h-3.5 w-3.5" aria-hidden />
        {t("button")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("title", { number })}>
        <ForwardForm number={number} subject={subject} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function ForwardForm({ number, subject: original, onDone }: { number: number; subject: string; onDone: () => void }) {
  const t = useTranslations("mailAdmin.forward");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [to, setTo] = useState<string[]>([]);
  const [subject, setSubject] = useState(`Fwd: ${original}`);
  const [note, setNote] = useState("");
  const [includeAttachments, setInclude] = useState(false);
  const [missing, setMissing] = useState(false);
  const m = useMutation(
    trpc.ticketMail.forward.mutationOptions({
      onSuccess: () => {
        toast.success(t("sent"));
        void qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ number }) });
        onDone();
      },
    }),
  );
  const errs = fieldErrors(m.error);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!to.length) return setMissing(true);
        m.mutate({ number, to, subject, note: note || null, includeAttachments });
      }}
      data-testid="forward-form"
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <div className="space-y-1">
        <div className="rounded-md px-2 py-1.5 text-sm ring-1 ring-inset ring-gray-300 focus-within:ring-2 focus-within:ring-indigo-600">
          <RecipientInput
            label={t("to")}
            value={to}
            onChange={(v) => {
              setTo(v);
              if (v.length) setMissing(false);
            }}
          />
        </div>
        {missing || errs.to ? (
          <p className="text-xs text-red-600" role="alert" data-testid="forward-to-error">{errs.to ?? t("required")}</p>
        ) : (
          <p className="text-xs text-gray-500">{t("toHint")}</p>
        )}
      </div>
      <TextField label={t("subject")} value={subject} onChange={(e) => setSubject(e.target.value)} error={errs.subject} data-testid="forward-subject" />
      <Field label={t("note")} htmlFor="forward-note" error={errs.note}>
        <textarea id="forward-note" rows={4} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("notePlaceholder")} className="block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-indigo-600" data-testid="forward-note" />
      </Field>
      <label className="flex items-center gap-2 text-sm text-gray-700">
        <input type="checkbox" checked={includeAttachments} onChange={(e) => setInclude(e.target.checked)} className="rounded border-gray-300 text-indigo-600" />
        {t("attachments")}
      </label>
      {errs.includeAttachments && <p className="text-xs text-red-600">{errs.includeAttachments}</p>}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onDone}>{t("cancel")}</Button>
        <Button type="submit" loading={m.isPending} data-testid="forward-send">{t("send")}</Button>
      </div>
    </form>
  );
}
