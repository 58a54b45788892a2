"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { X } from "lucide-react";
import { toast } from "sonner";
import { useTRPC, fieldErrors } from "@/lib/trpc/react";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/config";
import { Badge } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { TextField, SelectField } from "@/components/ui/field";
import { STATUS_COLOR } from "@/components/inbox/ticket-row";
import type { TicketDetail } from "@/components/ticket/types";

const MAX_ATTRIBUTES = 30;
const attrInput = "block w-0 min-w-0 flex-1 rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

/** Custom attributes as shown and edited: text pairs, whatever JSON an import or the API stored. */
function attributeEntries(raw: unknown): [string, string][] {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return [];
  return Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
}

export function CustomerPanel({ detail, number, canEdit }: { detail: TicketDetail; number: number; canEdit: boolean }) {
  const t = useTranslations("customerPanel");
  const ts = useTranslations("ticket");
  const format = useFormatter();
  const c = detail.ticket.customer;
  const [editing, setEditing] = useState(false);
  const attrs = attributeEntries(c.attributes);
  return (
    <aside className="w-72 shrink-0 overflow-auto border-l border-gray-200 bg-white p-4 text-sm" aria-label={t("label")} data-testid="customer-panel">
      <h2 className="text-xs font-medium tracking-wide text-gray-400 uppercase">{t("title")}</h2>
      {editing ? (
        <CustomerForm detail={detail} number={number} onDone={() => setEditing(false)} />
      ) : (
        <div className="mt-2 space-y-1">
          <div className="font-medium text-gray-900" data-testid="customer-name">{c.name ?? t("unnamed")}</div>
          {c.email && <div className="truncate text-gray-600">{c.email}</div>}
          {c.phone && <div className="text-gray-600">{c.phone}</div>}
          {c.organisation && <div className="text-gray-600">{c.organisation}</div>}
          {c.language && <div className="text-gray-600">{LOCALE_NAMES[c.language as "en"] ?? c.language}</div>}
          {c.blocked && <Badge color="red">{t("blocked")}</Badge>}
          <div className="flex flex-wrap gap-1 pt-1">{c.tags.map((tag) => <Badge key={tag}>{tag}</Badge>)}</div>
          {attrs.length > 0 && (
            <dl className="pt-2" aria-label={t("attributes")} data-testid="customer-attributes">
              {attrs.map(([k, v]) => (
                <div key={k} className="flex gap-2 py-0.5">
                  <dt className="shrink-0 text-gray-500">{k}</dt>
                  <dd className="min-w-0 flex-1 break-words text-gray-900">{v}</dd>
                </div>
              ))}
            </dl>
          )}
          {canEdit && <Button size="sm" variant="ghost" className="-ml-2" onClick={() => setEditing(true)} data-testid="edit-customer">{t("edit")}</Button>}
        </div>
      )}
      <h2 className="mt-6 text-xs font-medium tracking-wide text-gray-400 uppercase">{t("otherTickets")}</h2>
      <ul className="mt-2 space-y-1.5" data-testid="other-tickets">
        {detail.otherTickets.map((o) => (
          <li key={o.number} className="flex items-center gap-2">
            <Link href={`/tickets/${o.number}`} className="min-w-0 flex-1 truncate text-indigo-600 hover:underline">#{o.number} {o.subject}</Link>
            <Badge color={STATUS_COLOR[o.status]}>{ts(`status.${o.status}`)}</Badge>
          </li>
        ))}
        {!detail.otherTickets.length && <li className="text-gray-400">{t("none")}</li>}
      </ul>
      <h2 className="mt-6 text-xs font-medium tracking-wide text-gray-400 uppercase">{t("chats")}</h2>
      <ul className="mt-2 space-y-1.5">
        {detail.chats.map((ch) => (
          <li key={ch.id} className="text-gray-600">
            <Link href={`/chats/${ch.id}`} className="text-indigo-600 hover:underline">{t("chatLine", { id: ch.id, count: ch.messageCount })}</Link> · {format.relativeTime(new Date(ch.createdAt))}
          </li>
        ))}
        {!detail.chats.length && <li className="text-gray-400">{t("none")}</li>}
      </ul>
    </aside>
  );
}

function CustomerForm({ detail, number, onDone }: { detail: TicketDetail; number: number; onDone: () => void }) {
  const t = useTranslations("customerPanel");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const c = detail.ticket.customer;
  const [f, setF] = useState({ name: c.name ?? "", email: c.email ?? "", phone: c.phone ?? "", organisation: c.organisation ?? "", language: c.language ?? "", tags: c.tags.join(", ") });
  // Rows keep a stable key of their own: the attribute's name is what is being edited.
  const [attrs, setAttrs] = useState(() => attributeEntries(c.attributes).map(([k, v], i) => ({ row: i, k, v })));
  const [nextRow, setNextRow] = useState(attrs.length);
  const setAttr = (row: number, patch: Partial<{ k: string; v: string }>) => setAttrs(attrs.map((a) => (a.row === row ? { ...a, ...patch } : a)));
  const m = useMutation(
    trpc.customers.update.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ number }) });
        onDone();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const errs = fieldErrors(m.error);
  return (
    <form
      className="mt-2 space-y-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const attributes = Object.fromEntries(attrs.map((a) => [a.k.trim(), a.v.trim()] as const).filter(([k]) => k));
        m.mutate({ customerId: c.id, name: f.name, email: f.email, phone: f.phone, organisation: f.organisation, language: (f.language || null) as "en" | null, tags: f.tags.split(",").map((x) => x.trim()).filter(Boolean), attributes });
      }}
    >
      <TextField label={t("name")} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} error={errs.name} />
      <TextField label={t("email")} type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.target.value })} error={errs.email} />
      <TextField label={t("phone")} value={f.phone} onChange={(e) => setF({ ...f, phone: e.target.value })} />
      <TextField label={t("organisation")} value={f.organisation} onChange={(e) => setF({ ...f, organisation: e.target.value })} />
      <SelectField label={t("language")} value={f.language} onChange={(e) => setF({ ...f, language: e.target.value })} options={[{ value: "", label: "—" }, ...LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))]} />
      <TextField label={t("tags")} value={f.tags} onChange={(e) => setF({ ...f, tags: e.target.value })} hint={t("tagsHint")} />
      <fieldset className="space-y-1.5" data-testid="edit-attributes">
        <legend className="block text-sm font-medium text-gray-700">{t("attributes")}</legend>
        {attrs.map((a, i) => (
          <div key={a.row} className="flex items-center gap-1">
            <input className={attrInput} value={a.k} maxLength={50} placeholder={t("attributeName")} aria-label={t("attributeNameN", { n: i + 1 })} onChange={(e) => setAttr(a.row, { k: e.target.value })} />
            <input className={attrInput} value={a.v} maxLength={500} placeholder={t("attributeValue")} aria-label={t("attributeValueN", { n: i + 1 })} onChange={(e) => setAttr(a.row, { v: e.target.value })} />
            <button type="button" className="shrink-0 rounded p-1 text-gray-500 hover:bg-gray-100" aria-label={t("removeAttribute", { n: i + 1 })} onClick={() => setAttrs(attrs.filter((x) => x.row !== a.row))}>
              <X className="h-3.5 w-3.5" aria-hidden />
            </button>
          </div>
        ))}
        {errs.attributes && <p className="text-xs text-red-600">{errs.attributes}</p>}
        <Button
          size="sm"
          variant="ghost"
          type="button"
          className="-ml-2"
          disabled={attrs.length >= MAX_ATTRIBUTES}
          onClick={() => {
            setAttrs([...attrs, { row: nextRow, k: "", v: "" }]);
            setNextRow(nextRow + 1);
          }}
        >
          {t("addAttribute")}
        </Button>
      </fieldset>
      <div className="flex gap-2">
        <Button size="sm" type="submit" loading={m.isPending}>{t("save")}</Button>
        <Button size="sm" variant="ghost" type="button" onClick={onDone}>{t("cancel")}</Button>
      </div>
    </form>
  );
}
