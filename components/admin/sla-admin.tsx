"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { ArrowDown, ArrowUp } from "lucide-react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

const PRIORITIES = ["LOWEST", "LOW", "MEDIUM", "HIGH", "HIGHEST"] as const;
const CHANNELS = ["EMAIL", "FORM", "CHAT", "AGENT"] as const;
type Form = {
  id?: string;
  name: string;
  brandId: string;
  priority: string;
  typeId: string;
  channel: string;
  businessHoursId: string;
  firstResponse: string;
  resolution: string;
  warnAtPercent: string;
  pauseWhenPending: boolean;
  active: boolean;
};
const EMPTY: Form = { name: "", brandId: "", priority: "", typeId: "", channel: "", businessHoursId: "", firstResponse: "60", resolution: "480", warnAtPercent: "80", pauseWhenPending: true, active: true };
const sel = "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-gray-300";

/** Minutes as "1 d 2 h 30 min". */
function duration(min: number | null) {
  if (min === null) return "—";
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return [d && `${d} d`, h && `${h} h`, m && `${m} min`].filter(Boolean).join(" ") || "0 min";
}

export function SlaAdmin() {
  const t = useTranslations("admin.sla");
  const ts = useTranslations("ticket");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.sla.list.queryOptions());
  const [form, setForm] = useState<Form | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.sla.list.queryKey() });
  const onError = (e: { message: string }) => toast.error(e.message);
  const move = useMutation(trpc.sla.move.mutationOptions({ onSuccess: invalidate, onError }));
  const remove = useMutation(trpc.sla.delete.mutationOptions({ onSuccess: invalidate, onError }));
  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} actions={<Button onClick={() => setForm(EMPTY)}>{t("create")}</Button>} />
      <Card>
        {list.isLoading ? (
          <Skeleton />
        ) : !list.data?.length ? (
          <EmptyState title={t("empty")} description={t("emptyHint")} />
        ) : (
          <ol className="divide-y divide-gray-100">
            {list.data.map((p, i) => (
              <li key={p.id} className="flex items-center gap-3 px-4 py-3 text-sm" data-testid="sla-row">
                <div className="flex flex-col">
                  <button type="button" aria-label={t("moveUp")} disabled={i === 0} onClick={() => move.mutate({ id: p.id, direction: "up" })} className="text-gray-500 disabled:opacity-30"><ArrowUp className="h-3.5 w-3.5" /></button>
                  <button type="button" aria-label={t("moveDown")} disabled={i === list.data.length - 1} onClick={() => move.mutate({ id: p.id, direction: "down" })} className="text-gray-500 disabled:opacity-30"><ArrowDown className="h-3.5 w-3.5" /></button>
                </div>
                <div className="min-w-0 flex-1">
                  <div className="font-medium">{p.name} {!p.active && <Badge>{t("inactive")}</Badge>}</div>
                  <div className="text-xs text-gray-500">
                    {[p.brand?.name ?? t("anyBrand"), p.priority ? ts(`priority.${p.priority}`) : t("anyPriority"), p.type?.name ?? t("anyType"), p.channel ? ts(`channel.${p.channel}`) : t("anyChannel")].join(" · ")}
                  </div>
                  <div className="text-xs text-gray-500">
                    {t("summary", { first: duration(p.firstResponseMinutes), resolution: duration(p.resolutionMinutes), hours: p.businessHours?.name ?? t("brandHours"), warn: p.warnAtPercent })}
                    {p.pauseWhenPending ? ` · ${t("pausesWhenPending")}` : ""}
                  </div>
                </div>
                <Button size="sm" variant="ghost" onClick={() => setForm({ id: p.id, name: p.name, brandId: p.brandId ?? "", priority: p.priority ?? "", typeId: p.typeId ?? "", channel: p.channel ?? "", businessHoursId: p.businessHoursId ?? "", firstResponse: p.firstResponseMinutes?.toString() ?? "", resolution: p.resolutionMinutes?.toString() ?? "", warnAtPercent: String(p.warnAtPercent), pauseWhenPending: p.pauseWhenPending, active: p.active })}>{tc("edit")}</Button>
                <Button size="sm" variant="ghost" onClick={() => confirm(t("confirmDelete")) && remove.mutate({ id: p.id })}>{tc("delete")}</Button>
              </li>
            ))}
          </ol>
        )}
      </Card>
      <Dialog open={!!form} onClose={() => setForm(null)} title={form?.id ? t("edit") : t("create")}>
        {form && <PolicyEditor initial={form} onDone={() => { setForm(null); void invalidate(); }} />}
      </Dialog>
    </div>
  );
}

function PolicyEditor({ initial, onDone }: { initial: Form; onDone: () => void }) {
  const t = useTranslations("admin.sla");
  const ts = useTranslations("ticket");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const brands = useQuery(trpc.brands.list.queryOptions());
  const catalog = useQuery(trpc.catalog.list.queryOptions());
  const hours = useQuery(trpc.businessHours.list.queryOptions());
  const [f, setF] = useState(initial);
  const create = useMutation(trpc.sla.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.sla.update.mutationOptions({ onSuccess: onDone }));
  const m = f.id ? update : create;
  const errs = fieldErrors(m.error);
  const num = (v: string) => (v.trim() === "" ? null : Number(v));
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const payload = {
          name: f.name,
          brandId: f.brandId || null,
          priority: (f.priority || null) as (typeof PRIORITIES)[number] | null,
          typeId: f.typeId || null,
          channel: (f.channel || null) as (typeof CHANNELS)[number] | null,
          businessHoursId: f.businessHoursId || null,
          firstResponseMinutes: num(f.firstResponse),
          resolutionMinutes: num(f.resolution),
          warnAtPercent: Number(f.warnAtPercent) || 0,
          pauseWhenPending: f.pauseWhenPending,
          active: f.active,
        };
        if (f.id) update.mutate({ ...payload, id: f.id });
        else create.mutate(payload);
      }}
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <TextField label={t("name")} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} error={errs.name} />
      <p className="text-xs text-gray-500">{t("conditionsHint")}</p>
      <div className="grid grid-cols-2 gap-3">
        <label className="text-sm font-medium text-gray-700">{t("brand")}<select className={sel} value={f.brandId} onChange={(e) => setF({ ...f, brandId: e.target.value })}><option value="">{t("anyBrand")}</option>{brands.data?.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}</select></label>
        <label className="text-sm font-medium text-gray-700">{t("priority")}<select className={sel} value={f.priority} onChange={(e) => setF({ ...f, priority: e.target.value })}><option value="">{t("anyPriority")}</option>{PRIORITIES.map((p) => <option key={p} value={p}>{ts(`priority.${p}`)}</option>)}</select></label>
        <label className="text-sm font-medium text-gray-700">{t("type")}<select className={sel} value={f.typeId} onChange={(e) => setF({ ...f, typeId: e.target.value })}><option value="">{t("anyType")}</option>{catalog.data?.types.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select></label>
        <label className="text-sm font-medium text-gray-700">{t("channel")}<select className={sel} value={f.channel} onChange={(e) => setF({ ...f, channel: e.target.value })}><option value="">{t("anyChannel")}</option>{CHANNELS.map((c) => <option key={c} value={c}>{ts(`channel.${c}`)}</option>)}</select></label>
      </div>
      <div className="grid grid-cols-3 gap-3">
        <TextField label={t("firstResponse")} hint={t("minutes")} type="number" min={1} value={f.firstResponse} onChange={(e) => setF({ ...f, firstResponse: e.target.value })} error={errs.firstResponseMinutes} />
        <TextField label={t("resolution")} hint={t("minutes")} type="number" min={1} value={f.resolution} onChange={(e) => setF({ ...f, resolution: e.target.value })} error={errs.resolutionMinutes} />
        <TextField label={t("warnAt")} hint="%" type="number" min={0} max={99} value={f.warnAtPercent} onChange={(e) => setF({ ...f, warnAtPercent: e.target.value })} error={errs.warnAtPercent} />
      </div>
      <label className="block text-sm font-medium text-gray-700">{t("hours")}<select className={sel} value={f.businessHoursId} onChange={(e) => setF({ ...f, businessHoursId: e.target.value })}><option value="">{t("brandHours")}</option>{hours.data?.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}</select></label>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={f.pauseWhenPending} onChange={(e) => setF({ ...f, pauseWhenPending: e.target.checked })} />{t("pauseWhenPending")}</label>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} />{t("active")}</label>
      <div className="flex justify-end"><Button type="submit" loading={m.isPending}>{tc("save")}</Button></div>
    </form>
  );
}
