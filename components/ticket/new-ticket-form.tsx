"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import { PRIORITIES } from "@/lib/tickets/filters";
import { Button } from "@/components/ui/button";
import { SelectField, TextField, Field } from "@/components/ui/field";
import { Alert, Card, PageHeader } from "@/components/ui/misc";
import type { TicketOptions } from "@/components/inbox/types";

/** T16: a ticket on behalf of a customer (a phone call, a walk-in), optionally emailed to them. */
export function NewTicketForm({ options, meId }: { options: TicketOptions; meId: string }) {
  const t = useTranslations("newTicket");
  const ts = useTranslations("ticket");
  const trpc = useTRPC();
  const router = useRouter();
  const [f, setF] = useState({ brandId: options.brands[0]?.id ?? "", email: "", name: "", subject: "", body: "", sendEmail: false, priority: "MEDIUM" as (typeof PRIORITIES)[number], assigneeId: meId });
  const m = useMutation(trpc.tickets.create.mutationOptions({ onSuccess: (r) => router.push(`/tickets/${r.number}`) }));
  const errs = fieldErrors(m.error);
  const html = f.body.split(/\n{2,}/).map((p) => `<p>${p.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!).replace(/\n/g, "<br>")}</p>`).join("");
  return (
    <div className="mx-auto max-w-2xl p-6">
      <PageHeader title={t("title")} description={t("description")} />
      <Card className="p-6">
        <form
          className="space-y-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate({ brandId: f.brandId, customer: { email: f.email || null, name: f.name || null }, subject: f.subject, html: f.body.trim() ? html : "", sendEmail: f.sendEmail, priority: f.priority, assigneeId: f.assigneeId || null });
          }}
        >
          {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
          {options.brands.length > 1 && <SelectField label={t("brand")} value={f.brandId} onChange={(e) => setF({ ...f, brandId: e.target.value })} options={options.brands.map((b) => ({ value: b.id, label: b.name }))} error={errs.brandId} />}
          <div className="grid grid-cols-2 gap-4">
            <TextField label={t("customerEmail")} type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.target.value })} error={errs["customer.email"] ?? errs.customer} />
            <TextField label={t("customerName")} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
          </div>
          <TextField label={t("subject")} value={f.subject} onChange={(e) => setF({ ...f, subject: e.target.value })} error={errs.subject} />
          <Field label={t("message")} htmlFor="new-ticket-body" error={errs.html}>
            <textarea id="new-ticket-body" rows={6} className="block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-gray-300 focus:ring-2 focus:ring-indigo-600" value={f.body} onChange={(e) => setF({ ...f, body: e.target.value })} />
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <SelectField label={t("priority")} value={f.priority} onChange={(e) => setF({ ...f, priority: e.target.value as "MEDIUM" })} options={PRIORITIES.map((p) => ({ value: p, label: ts(`priority.${p}`) }))} />
            <SelectField label={t("assignee")} value={f.assigneeId} onChange={(e) => setF({ ...f, assigneeId: e.target.value })} options={[{ value: "", label: t("unassigned") }, ...options.agents.map((a) => ({ value: a.id, label: a.name }))]} />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={f.sendEmail} onChange={(e) => setF({ ...f, sendEmail: e.target.checked })} />
            {t("sendEmail")}
          </label>
          <div className="flex justify-end">
            <Button type="submit" loading={m.isPending}>{t("create")}</Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
