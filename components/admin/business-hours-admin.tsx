"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

// Monday first, as people read a working week.
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
type Day = (typeof DAYS)[number];
type Holiday = { date: string; name?: string; recurring: boolean };
type HoursForm = { id?: string; name: string; timezone: string; schedule: Partial<Record<Day, [string, string][]>>; holidays: Holiday[]; brandIds: string[] };

const WEEKDAYS_9_TO_6: HoursForm["schedule"] = { mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "18:00"]] };
const input = "w-20 rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-gray-300 font-mono";

export function BusinessHoursAdmin() {
  const t = useTranslations("admin.businessHours");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.businessHours.list.queryOptions());
  const [form, setForm] = useState<HoursForm | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.businessHours.list.queryKey() });
  const remove = useMutation(trpc.businessHours.delete.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  const tz = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return (
    <div className="p-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={<Button onClick={() => setForm({ name: "", timezone: tz, schedule: WEEKDAYS_9_TO_6, holidays: [], brandIds: [] })}>{t("create")}</Button>}
      />
      <Card>
        {list.isLoading ? (
          <Skeleton />
        ) : !list.data?.length ? (
          <EmptyState title={t("empty")} />
        ) : (
          <ul className="divide-y divide-gray-100">
            {list.data.map((h) => (
              <li key={h.id} className="flex items-center gap-4 px-4 py-3 text-sm" data-testid="hours-row">
                <div className="min-w-0 flex-1">
                  <div className="font-medium">{h.name}</div>
                  <div className="text-xs text-gray-500">
                    {h.timezone} · {DAYS.filter((d) => h.schedule[d]?.length).map((d) => `${t(`day.${d}`)} ${h.schedule[d]!.map(([a, b]) => `${a}–${b}`).join(", ")}`).join(" · ")}
                  </div>
                  <div className="text-xs text-gray-500">{h.brands.map((b) => b.name).join(", ") || t("noBrands")} · {t("holidayCount", { count: h.holidays.length })}</div>
                </div>
                {h.openNow !== null && <Badge color={h.openNow ? "green" : "gray"}>{h.openNow ? t("openNow") : t("closedNow")}</Badge>}
                <Button size="sm" variant="ghost" onClick={() => setForm({ id: h.id, name: h.name, timezone: h.timezone, schedule: h.schedule, holidays: h.holidays.map((x) => ({ date: x.date, name: x.name ?? "", recurring: !!x.recurring })), brandIds: h.brands.map((b) => b.id) })}>
                  {tc("edit")}
                </Button>
                <Button size="sm" variant="ghost" onClick={() => confirm(t("confirmDelete")) && remove.mutate({ id: h.id })}>{tc("delete")}</Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Dialog wide open={!!form} onClose={() => setForm(null)} title={form?.id ? t("edit") : t("create")}>
        {form && <HoursEditor initial={form} onDone={() => { setForm(null); void invalidate(); }} />}
      </Dialog>
    </div>
  );
}

function HoursEditor({ initial, onDone }: { initial: HoursForm; onDone: () => void }) {
  const t = useTranslations("admin.businessHours");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const brands = useQuery(trpc.brands.list.queryOptions());
  const [f, setF] = useState(initial);
  const create = useMutation(trpc.businessHours.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.businessHours.update.mutationOptions({ onSuccess: onDone }));
  const m = f.id ? update : create;
  const errs = fieldErrors(m.error);
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [f.timezone]), [f.timezone]);
  const errorsFor = (prefix: string) => Object.entries(errs).filter(([k]) => k === prefix || k.startsWith(`${prefix}.`)).map(([, v]) => v);
  const setDay = (d: Day, ivs: [string, string][]) => setF({ ...f, schedule: { ...f.schedule, [d]: ivs } });
  // "No open hours at all" belongs to the whole week, not to one day.
  const general = Object.entries(errs).filter(([k]) => k === "schedule").map(([, v]) => v);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const schedule = Object.fromEntries(DAYS.filter((d) => f.schedule[d]?.length).map((d) => [d, f.schedule[d]!]));
        const payload = { name: f.name, timezone: f.timezone, schedule, holidays: f.holidays.map((h) => ({ date: h.date, name: h.name || undefined, recurring: h.recurring })), brandIds: f.brandIds };
        if (f.id) update.mutate({ ...payload, id: f.id });
        else create.mutate(payload);
      }}
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <TextField label={t("name")} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} error={errs.name} />
      <label className="block text-sm font-medium text-gray-700">
        {t("timezone")}
        <select className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-gray-300" value={f.timezone} onChange={(e) => setF({ ...f, timezone: e.target.value })}>
          {zones.map((z) => <option key={z} value={z}>{z}</option>)}
        </select>
        {errs.timezone && <span className="mt-1 block text-xs text-red-600">{errs.timezone}</span>}
      </label>
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("week")}</legend>
        <p className="text-xs text-gray-500">{t("weekHint")}</p>
        {general.length > 0 && <Alert>{general.join(" ")}</Alert>}
        <div className="mt-2 space-y-2">
          {DAYS.map((d) => {
            const ivs = f.schedule[d] ?? [];
            const dayErrors = errorsFor(`schedule.${d}`);
            return (
              <div key={d} data-testid={`day-${d}`}>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="w-24 font-medium">{t(`dayLong.${d}`)}</span>
                  {ivs.length === 0 && <span className="text-gray-400">{t("closed")}</span>}
                  {ivs.map(([a, b], i) => (
                    <span key={i} className="inline-flex items-center gap-1">
                      <input aria-label={t("from", { day: t(`dayLong.${d}`) })} className={input} value={a} onChange={(e) => setDay(d, ivs.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))} placeholder="09:00" />
                      –
                      <input aria-label={t("to", { day: t(`dayLong.${d}`) })} className={input} value={b} onChange={(e) => setDay(d, ivs.map((x, j) => (j === i ? [x[0], e.target.value] : x)))} placeholder="18:00" />
                      <button type="button" className="text-gray-400 hover:text-gray-700" aria-label={t("removeInterval")} onClick={() => setDay(d, ivs.filter((_, j) => j !== i))}><X className="h-3.5 w-3.5" /></button>
                    </span>
                  ))}
                  <button type="button" className="inline-flex items-center gap-0.5 text-xs text-indigo-600 hover:underline" onClick={() => setDay(d, [...ivs, ivs.length ? ["13:00", "18:00"] : ["09:00", "18:00"]])}>
                    <Plus className="h-3 w-3" aria-hidden /> {t("addInterval")}
                  </button>
                </div>
                {dayErrors.length > 0 && <p className="ml-24 text-xs text-red-600">{dayErrors.join(" ")}</p>}
              </div>
            );
          })}
        </div>
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("holidays")}</legend>
        <div className="mt-1 space-y-1">
          {f.holidays.map((h, i) => (
            <div key={i} className="flex flex-wrap items-center gap-2 text-sm">
              <input type="date" aria-label={t("holidayDate")} className="rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-gray-300" value={h.date} onChange={(e) => setF({ ...f, holidays: f.holidays.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)) })} />
              <input aria-label={t("holidayName")} placeholder={t("holidayName")} className="flex-1 rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-gray-300" value={h.name ?? ""} onChange={(e) => setF({ ...f, holidays: f.holidays.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })} />
              <label className="flex items-center gap-1 text-xs"><input type="checkbox" checked={h.recurring} onChange={(e) => setF({ ...f, holidays: f.holidays.map((x, j) => (j === i ? { ...x, recurring: e.target.checked } : x)) })} />{t("recurring")}</label>
              <button type="button" aria-label={t("removeHoliday")} className="text-gray-400 hover:text-gray-700" onClick={() => setF({ ...f, holidays: f.holidays.filter((_, j) => j !== i) })}><X className="h-3.5 w-3.5" /></button>
              {errorsFor(`holidays.${i}`).length > 0 && <p className="w-full text-xs text-red-600">{errorsFor(`holidays.${i}`).join(" ")}</p>}
            </div>
          ))}
          <button type="button" className="inline-flex items-center gap-0.5 text-xs text-indigo-600 hover:underline" onClick={() => setF({ ...f, holidays: [...f.holidays, { date: "", name: "", recurring: false }] })}>
            <Plus className="h-3 w-3" aria-hidden /> {t("addHoliday")}
          </button>
        </div>
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("brands")}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {brands.data?.map((b) => (
            <label key={b.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={f.brandIds.includes(b.id)} onChange={() => setF({ ...f, brandIds: f.brandIds.includes(b.id) ? f.brandIds.filter((x) => x !== b.id) : [...f.brandIds, b.id] })} />
              {b.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" loading={m.isPending}>{tc("save")}</Button>
      </div>
    </form>
  );
}
