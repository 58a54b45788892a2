"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";

type HookForm = { id?: string; url: string; events: string[] };
const statusColor = { PENDING: "yellow", SUCCEEDED: "green", FAILED: "red" } as const;

export function WebhooksAdmin() {
  const t = useTranslations("admin.webhooks");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const hooks = useQuery(trpc.webhooks.list.queryOptions());
  const [form, setForm] = useState<HookForm | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
  const onError = (e: { message: string }) => toast.error(e.message);
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: invalidate, onError }));
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: invalidate, onError }));
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions({ onSuccess: (r) => setSecret(r.secret), onError }));
  const test = useMutation(trpc.webhooks.sendTest.mutationOptions({ onSuccess: (_r, v) => { toast.success(t("testQueued")); setOpen(v.id); void invalidate(); }, onError }));
  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} actions={<Button onClick={() => setForm({ url: "", events: ["ticket.created"] })} data-testid="webhook-add">{t("create")}</Button>} />
      <Card>
        {hooks.isLoading ? (
          <Skeleton />
        ) : !hooks.data?.length ? (
          <EmptyState title={t("empty")} description={t("emptyHint")} />
        ) : (
          <ul className="divide-y divide-gray-100">
            {hooks.data.map((h) => (
              <li key={h.id} className="px-4 py-3 text-sm" data-testid="webhook-row">
                <div className="flex flex-wrap items-center gap-3">
                  <div className="min-w-0 flex-1">
                    <div className="truncate font-mono text-xs">{h.url}</div>
                    <div className="mt-0.5 text-xs text-gray-500">{h.events.join(", ")}</div>
                  </div>
                  {h.lastDelivery && <Badge color={statusColor[h.lastDelivery.status]}>{t(`status.${h.lastDelivery.status}`)}{h.lastDelivery.responseCode ? ` · ${h.lastDelivery.responseCode}` : ""}</Badge>}
                  <label className="flex items-center gap-1.5 text-xs">
                    <input type="checkbox" checked={h.active} onChange={(e) => update.mutate({ id: h.id, active: e.target.checked })} />
                    {t("active")}
                  </label>
                  <Button size="sm" variant="secondary" onClick={() => test.mutate({ id: h.id })} loading={test.isPending && test.variables?.id === h.id} data-testid="webhook-test">{t("sendTest")}</Button>
                  <Button size="sm" variant="ghost" onClick={() => setOpen(open === h.id ? null : h.id)} aria-expanded={open === h.id}>{t("deliveries")}</Button>
                  <Button size="sm" variant="ghost" onClick={() => setForm({ id: h.id, url: h.url, events: h.events })}>{tc("edit")}</Button>
                  <Button size="sm" variant="ghost" onClick={() => rotate.mutate({ id: h.id })}>{t("rotate")}</Button>
                  <Button size="sm" variant="ghost" onClick={() => confirm(t("confirmDelete")) && remove.mutate({ id: h.id })}>{tc("delete")}</Button>
                </div>
                {open === h.id && <Deliveries id={h.id} />}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Dialog open={!!form} onClose={() => setForm(null)} title={form?.id ? t("edit") : t("create")}>
        {form && (
          <HookEditor
            initial={form}
            onDone={(created) => {
              setForm(null);
              if (created) setSecret(created);
              void invalidate();
            }}
          />
        )}
      </Dialog>
      <Dialog open={!!secret} onClose={() => setSecret(null)} title={t("secretTitle")}>
        <div className="space-y-3 text-sm">
          <p>{t("secretHint")}</p>
          <code className="block rounded bg-gray-100 px-3 py-2 font-mono text-xs break-all" data-testid="webhook-secret">{secret}</code>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(secret ?? "").then(() => toast.success(t("copied")))}>{t("copy")}</Button>
            <Button onClick={() => setSecret(null)}>{t("done")}</Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}

function Deliveries({ id }: { id: string }) {
  const t = useTranslations("admin.webhooks");
  const format = useFormatter();
  const trpc = useTRPC();
  // Deliveries change in the background worker; refresh while the panel is open.
  const rows = useQuery({ ...trpc.webhooks.deliveries.queryOptions({ id }), refetchInterval: 3000 });
  if (rows.isLoading) return <Skeleton rows={2} />;
  if (!rows.data?.length) return <p className="mt-2 text-xs text-gray-500">{t("noDeliveries")}</p>;
  return (
    <table className="mt-3 w-full text-xs" data-testid="webhook-deliveries">
      <thead className="text-left text-gray-500">
        <tr>
          <th className="py-1 font-medium">{t("col.time")}</th>
          <th className="font-medium">{t("col.event")}</th>
          <th className="font-medium">{t("col.status")}</th>
          <th className="font-medium">{t("col.attempts")}</th>
          <th className="font-medium">{t("col.error")}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-gray-100">
        {rows.data.map((d) => (
          <tr key={d.id}>
            <td className="py-1 whitespace-nowrap">{format.dateTime(new Date(d.createdAt), { dateStyle: "short", timeStyle: "medium" })}</td>
            <td className="font-mono">{d.event}</td>
            <td><Badge color={statusColor[d.status]}>{t(`status.${d.status}`)}{d.responseCode ? ` · ${d.responseCode}` : ""}</Badge></td>
            <td>{d.attempts}</td>
            <td className="text-red-700">{d.error ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HookEditor({ initial, onDone }: { initial: HookForm; onDone: (secret?: string) => void }) {
  const t = useTranslations("admin.webhooks");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const [f, setF] = useState(initial);
  const create = useMutation(trpc.webhooks.create.mutationOptions({ onSuccess: (r) => onDone(r.secret) }));
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: () => onDone() }));
  const m = f.id ? update : create;
  const errs = fieldErrors(m.error);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const events = f.events as (typeof WEBHOOK_EVENTS)[number][];
        if (f.id) update.mutate({ id: f.id, url: f.url, events });
        else create.mutate({ url: f.url, events });
      }}
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <TextField label={t("url")} type="url" placeholder="https://example.com/relaydesk" value={f.url} onChange={(e) => setF({ ...f, url: e.target.value })} error={errs.url} />
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("events")}</legend>
        <div className="mt-1 space-y-1">
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={f.events.includes(ev)} onChange={() => setF({ ...f, events: f.events.includes(ev) ? f.events.filter((x) => x !== ev) : [...f.events, ev] })} />
              <span className="font-mono text-xs">{ev}</span> <span className="text-gray-500">{t(`event.${ev.replace(".", "_")}`)}</span>
            </label>
          ))}
        </div>
        {errs.events && <p className="mt-1 text-xs text-red-600">{errs.events}</p>}
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" loading={m.isPending}>{tc("save")}</Button>
      </div>
    </form>
  );
}
