"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField, Field } from "@/components/ui/field";
import { Alert, Card, PageHeader, Skeleton } from "@/components/ui/misc";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

/** Types, topics, tags, shared canned responses and ticket settings on one admin page. */
export function CatalogAdmin() {
  const t = useTranslations("admin.catalog");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const data = useQuery(trpc.catalog.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.catalog.list.queryKey() });
  const save = useMutation(trpc.catalog.save.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e.message) }));
  const renameTag = useMutation(trpc.catalog.renameTag.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e.message) }));
  const deleteTag = useMutation(trpc.catalog.deleteTag.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e.message) }));
  if (!data.data) return <div className="p-6"><Skeleton /></div>;
  return (
    <div className="space-y-6 p-6">
      <PageHeader title={t("title")} description={t("description")} />
      <TicketSettings />
      <div className="grid gap-6 md:grid-cols-2">
        {(["type", "topic"] as const).map((kind) => (
          <Card key={kind} className="p-4">
            <h2 className="mb-3 font-medium">{t(kind === "type" ? "types" : "topics")}</h2>
            <ul className="divide-y divide-gray-100 text-sm" data-testid={`catalog-${kind}`}>
              {(kind === "type" ? data.data.types : data.data.topics).map((x) => (
                <li key={x.id} className="flex items-center gap-2 py-1.5">
                  <span className={x.active ? "flex-1" : "flex-1 text-gray-400 line-through"}>{x.name}</span>
                  <span className="text-xs text-gray-400">{t("uses", { count: x._count.tickets })}</span>
                  <button className="text-xs text-indigo-600 hover:underline" onClick={() => save.mutate({ kind, id: x.id, name: x.name, active: !x.active })}>
                    {x.active ? t("disable") : t("enable")}
                  </button>
                </li>
              ))}
            </ul>
            <AddForm label={t(kind === "type" ? "newType" : "newTopic")} onAdd={(name) => save.mutateAsync({ kind, name, active: true })} />
          </Card>
        ))}
      </div>
      <Card className="p-4">
        <h2 className="mb-3 font-medium">{t("tags")}</h2>
        <ul className="flex flex-wrap gap-2 text-sm">
          {data.data.tags.map((tag) => (
            <li key={tag.id} className="inline-flex items-center gap-1 rounded bg-gray-100 px-2 py-0.5">
              <button title={t("rename")} onClick={() => { const n = window.prompt(t("renamePrompt"), tag.name); if (n) renameTag.mutate({ id: tag.id, name: n }); }}>{tag.name}</button>
              <span className="text-xs text-gray-400">{tag._count.tickets}</span>
              <button className="text-xs text-red-600" aria-label={t("deleteTag", { tag: tag.name })} onClick={() => deleteTag.mutate({ id: tag.id })}>×</button>
            </li>
          ))}
        </ul>
      </Card>
      <CannedEditor items={data.data.canned} onChange={refresh} />
    </div>
  );
}

function AddForm({ label, onAdd }: { label: string; onAdd: (name: string) => Promise<unknown> }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  return (
    <form className="mt-3 flex items-end gap-2" onSubmit={async (e) => { e.preventDefault(); try { await onAdd(name); setName(""); setError(undefined); } catch (err) { setError(fieldErrors(err).name ?? (err as Error).message); } }}>
      <div className="flex-1"><TextField label={label} value={name} onChange={(e) => setName(e.target.value)} error={error} /></div>
      <Button type="submit" size="sm">+</Button>
    </form>
  );
}

function TicketSettings() {
  const t = useTranslations("admin.catalog");
  const trpc = useTRPC();
  const s = useQuery(trpc.catalog.ticketSettings.queryOptions());
  const [form, setForm] = useState<{ requireTopicToResolve: boolean; notifyCustomerOnAssign: boolean; trashRetentionDays: number } | null>(null);
  const save = useMutation(trpc.catalog.saveTicketSettings.mutationOptions({ onSuccess: () => toast.success(t("saved")), onError: (e) => toast.error(e.message) }));
  const f = form ?? s.data;
  if (!f) return null;
  return (
    <Card className="p-4">
      <h2 className="mb-3 font-medium">{t("ticketSettings")}</h2>
      <form className="space-y-3 text-sm" onSubmit={(e) => { e.preventDefault(); save.mutate(f); }} data-testid="ticket-settings">
        <label className="flex items-center gap-2"><input type="checkbox" checked={f.requireTopicToResolve} onChange={(e) => setForm({ ...f, requireTopicToResolve: e.target.checked })} />{t("requireTopic")}</label>
        <label className="flex items-center gap-2"><input type="checkbox" checked={f.notifyCustomerOnAssign} onChange={(e) => setForm({ ...f, notifyCustomerOnAssign: e.target.checked })} />{t("notifyCustomer")}</label>
        <div className="w-48"><TextField label={t("trashDays")} type="number" min={1} value={f.trashRetentionDays} onChange={(e) => setForm({ ...f, trashRetentionDays: Number(e.target.value) })} error={fieldErrors(save.error).trashRetentionDays} /></div>
        <Button type="submit" size="sm" loading={save.isPending}>{t("save")}</Button>
      </form>
    </Card>
  );
}

type Canned = { id: string; shortcut: string; title: string; body: string };

function CannedEditor({ items, onChange }: { items: Canned[]; onChange: () => void }) {
  const t = useTranslations("admin.catalog");
  const trpc = useTRPC();
  const [edit, setEdit] = useState<Partial<Canned> | null>(null);
  const save = useMutation(trpc.catalog.saveCanned.mutationOptions({ onSuccess: () => { setEdit(null); onChange(); } }));
  const remove = useMutation(trpc.catalog.deleteCanned.mutationOptions({ onSuccess: onChange, onError: (e) => toast.error(e.message) }));
  const errs = fieldErrors(save.error);
  return (
    <Card className="p-4">
      <div className="mb-3 flex items-center justify-between">
        <h2 className="font-medium">{t("canned")}</h2>
        <Button size="sm" onClick={() => setEdit({ shortcut: "", title: "", body: "" })}>{t("newCanned")}</Button>
      </div>
      <p className="mb-3 text-xs text-gray-500">{t("placeholders")}</p>
      <ul className="divide-y divide-gray-100 text-sm">
        {items.map((c) => (
          <li key={c.id} className="flex items-center gap-3 py-1.5">
            <code className="text-indigo-600">/{c.shortcut}</code>
            <span className="flex-1">{c.title}</span>
            <button className="text-xs text-indigo-600 hover:underline" onClick={() => setEdit(c)}>{t("edit")}</button>
            <button className="text-xs text-red-600 hover:underline" onClick={() => remove.mutate({ id: c.id })}>{t("delete")}</button>
          </li>
        ))}
      </ul>
      {edit && (
        <form className="mt-4 space-y-3 border-t pt-4" onSubmit={(e) => { e.preventDefault(); save.mutate({ id: edit.id, shortcut: edit.shortcut ?? "", title: edit.title ?? "", body: edit.body ?? "" }); }}>
          {save.error && !Object.keys(errs).length && <Alert>{save.error.message}</Alert>}
          <div className="grid grid-cols-2 gap-3">
            <TextField label={t("shortcut")} value={edit.shortcut ?? ""} onChange={(e) => setEdit({ ...edit, shortcut: e.target.value })} error={errs.shortcut} />
            <TextField label={t("cannedTitle")} value={edit.title ?? ""} onChange={(e) => setEdit({ ...edit, title: e.target.value })} error={errs.title} />
          </div>
          <Field label={t("body")} htmlFor="canned-body" error={errs.body}>
            <textarea id="canned-body" rows={5} className="block w-full rounded-md border-0 px-3 py-2 font-mono text-xs ring-1 ring-gray-300" value={edit.body ?? ""} onChange={(e) => setEdit({ ...edit, body: e.target.value })} />
          </Field>
          <div className="flex gap-2"><Button type="submit" size="sm" loading={save.isPending}>{t("save")}</Button><Button type="button" size="sm" variant="ghost" onClick={() => setEdit(null)}>{t("cancel")}</Button></div>
        </form>
      )}
    </Card>
  );
}
