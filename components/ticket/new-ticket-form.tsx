"use client";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
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
  const [picked, setPicked] = useState<CustomerHit | null>(null);
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
            m.mutate({ brandId: f.brandId, customer: picked ? { id: picked.id } : { email: f.email || null, name: f.name || null }, subject: f.subject, html: f.body.trim() ? html : "", sendEmail: f.sendEmail, priority: f.priority, assigneeId: f.assigneeId || null });
          }}
        >
          {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
          {options.brands.length > 1 && <SelectField label={t("brand")} value={f.brandId} onChange={(e) => setF({ ...f, brandId: e.target.value })} options={options.brands.map((b) => ({ value: b.id, label: b.name }))} error={errs.brandId} />}
          <CustomerPicker
            picked={picked}
            onPick={(c) => {
              setPicked(c);
              setF({ ...f, email: c?.email ?? "", name: c?.name ?? "" });
            }}
          />
          <div className="grid grid-cols-2 gap-4">
            <TextField label={t("customerEmail")} type="email" value={f.email} readOnly={!!picked} onChange={(e) => setF({ ...f, email: e.target.value })} error={errs["customer.email"] ?? errs.customer} />
            <TextField label={t("customerName")} value={f.name} readOnly={!!picked} onChange={(e) => setF({ ...f, name: e.target.value })} />
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

type CustomerHit = { id: string; name: string | null; email: string | null };

/** An ARIA 1.2 combobox: type a name or address, pick with the arrows and Enter (or the mouse). */
function CustomerPicker({ picked, onPick }: { picked: CustomerHit | null; onPick: (c: CustomerHit | null) => void }) {
  const t = useTranslations("newTicket");
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState("");
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // One request per pause in typing, not per keystroke.
  useEffect(() => {
    const h = setTimeout(() => setTerm(text.trim()), 200);
    return () => clearTimeout(h);
  }, [text]);
  const hits = useQuery(trpc.customers.search.queryOptions({ q: term }, { enabled: term.length >= 2 && !picked, placeholderData: keepPreviousData }));
  const items = term.length >= 2 ? (hits.data ?? []) : [];
  const shown = open && !picked && term.length >= 2;
  const label = (c: CustomerHit) => (c.name && c.email ? `${c.name} <${c.email}>` : c.name || c.email || "");
  const choose = (c: CustomerHit) => {
    onPick(c);
    setText("");
    setTerm("");
    setOpen(false);
  };

  if (picked) {
    return (
      <div className="space-y-1">
        <span className="block text-sm font-medium text-gray-700" id={`${id}-label`}>{t("existingCustomer")}</span>
        <div className="flex items-center justify-between rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-gray-300" aria-labelledby={`${id}-label`} role="group" data-testid="picked-customer">
          <span className="truncate">{label(picked)}</span>
          <button type="button" className="text-indigo-600 hover:underline" onClick={() => onPick(null)}>{t("clearCustomer")}</button>
        </div>
        {/* The same hint line as while searching, so picking moves nothing below. */}
        <p className="text-xs text-gray-500">{t("customerSearchHint")}</p>
      </div>
    );
  }
  return (
    <div className="space-y-1">
      <label htmlFor={`${id}-input`} className="block text-sm font-medium text-gray-700">{t("existingCustomer")}</label>
      <div className="relative">
        <input
          id={`${id}-input`}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={`${id}-list`}
          aria-activedescendant={shown && items[active] ? `${id}-opt-${active}` : undefined}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
          className="block w-full rounded-md border-0 px-3 py-2 text-sm text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 placeholder:text-gray-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
          placeholder={t("customerSearchPlaceholder")}
          value={text}
          data-testid="customer-search"
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              setOpen(true);
              if (items.length) setActive((a) => (a + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
            } else if (e.key === "Enter" && shown && items[active]) {
              e.preventDefault();
              choose(items[active]);
            } else if (e.key === "Escape" && shown) {
              e.preventDefault();
              setOpen(false);
            }
          }}
        />
        {/* Floats over what follows, so opening it moves nothing. */}
        <ul id={`${id}-list`} role="listbox" aria-label={t("existingCustomer")} hidden={!shown} className="absolute left-0 right-0 top-full z-10 mt-1 max-h-60 overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-gray-200">
          {items.map((c, i) => (
            <li
              key={c.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={`cursor-pointer truncate px-3 py-1.5 ${i === active ? "bg-indigo-50 text-indigo-900" : "text-gray-900"}`}
              onMouseEnter={() => setActive(i)}
              // mousedown, not click: the input's blur would close the list before a click lands.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(c);
              }}
            >
              {label(c)}
            </li>
          ))}
          {!items.length && (
            <li role="option" aria-selected={false} aria-disabled="true" className="px-3 py-1.5 text-gray-500">
              {hits.isFetching ? t("customerSearching") : t("customerNoMatch")}
            </li>
          )}
        </ul>
      </div>
      <p id={`${id}-hint`} className="text-xs text-gray-500">{t("customerSearchHint")}</p>
    </div>
  );
}
