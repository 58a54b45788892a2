"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { ArrowDown, ArrowUp, Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import { CONDITION_FIELDS, OPERATORS, TRIGGERS, type Action, type Condition, type RuleInput } from "@/lib/automation/schema";

type Editing = RuleInput & { id?: string };
const ACTION_TYPES: Action["type"][] = ["set_status", "set_priority", "set_type", "set_topic", "set_group", "assign", "add_tags", "remove_tags", "add_note", "auto_reply", "send_email", "call_webhook"];
const sel = "rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-gray-300";
const inp = "min-w-0 flex-1 rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-gray-300";

function blankAction(type: Action["type"]): Action {
  switch (type) {
    case "set_status": return { type, value: "PENDING" };
    case "set_priority": return { type, value: "HIGH" };
    case "add_tags":
    case "remove_tags": return { type, value: [] as unknown as [string] };
    case "auto_reply": return { type, open: "", closed: "" };
    case "send_email": return { type, to: "", subject: "", body: "" };
    case "assign": return { type, value: "round_robin" };
    default: return { type, value: "" } as Action;
  }
}

export function RulesAdmin() {
  const t = useTranslations("admin.rules");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.rules.list.queryOptions());
  const [editing, setEditing] = useState<Editing | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.rules.list.queryKey() });
  const onError = (e: { message: string }) => toast.error(e.message);
  const move = useMutation(trpc.rules.move.mutationOptions({ onSuccess: invalidate, onError }));
  const toggle = useMutation(trpc.rules.setActive.mutationOptions({ onSuccess: invalidate, onError }));
  const remove = useMutation(trpc.rules.delete.mutationOptions({ onSuccess: invalidate, onError }));
  return (
    <div className="p-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={<Button onClick={() => setEditing({ name: "", brandId: null, trigger: "TICKET_CREATED", conditions: { match: "all", items: [] }, actions: [{ type: "set_priority", value: "HIGH" }], active: true })}>{t("create")}</Button>}
      />
      <Card>
        {list.isLoading ? (
          <Skeleton />
        ) : !list.data?.length ? (
          <EmptyState title={t("empty")} description={t("emptyHint")} />
        ) : (
          <ol className="divide-y divide-gray-100">
            {list.data.map((r, i) => (
              <li key={r.id} className="flex items-center gap-3 px-4 py-3 text-sm" data-testid="rule-row">
                <div className="flex flex-col">
                  <button type="button" aria-label={t("moveUp")} disabled={i === 0} onClick={() => move.mutate({ id: r.id, direction: "up" })} className="text-gray-500 disabled:opacity-30"><ArrowUp className="h-3.5 w-3.5" /></button>
                  <button type="button" aria-label={t("moveDown")} disabled={i === list.data.length - 1} onClick={() => move.mutate({ id: r.id, direction: "down" })} className="text-gray-500 disabled:opacity-30"><ArrowDown className="h-3.5 w-3.5" /></button>
                </div>
                <div className="min-w-0 flex-1">
                  <div className="font-medium">{r.name}</div>
                  <div className="text-xs text-gray-500">{t(`trigger.${r.trigger}`)} · {r.brand?.name ?? t("allBrands")} · {t("actionCount", { count: Array.isArray(r.actions) ? r.actions.length : 0 })}</div>
                </div>
                {!r.active && <Badge>{t("off")}</Badge>}
                <label className="flex items-center gap-1.5 text-xs">
                  <input type="checkbox" checked={r.active} onChange={(e) => toggle.mutate({ id: r.id, active: e.target.checked })} aria-label={t("enabled", { name: r.name })} />
                  {t("active")}
                </label>
                <Button size="sm" variant="ghost" onClick={() => setEditing({ id: r.id, name: r.name, brandId: r.brandId, trigger: r.trigger as Editing["trigger"], conditions: r.conditions as Editing["conditions"], actions: r.actions as Editing["actions"], active: r.active })}>{tc("edit")}</Button>
                <Button size="sm" variant="ghost" onClick={() => confirm(t("confirmDelete")) && remove.mutate({ id: r.id })}>{tc("delete")}</Button>
              </li>
            ))}
          </ol>
        )}
      </Card>
      <p className="mt-3 text-xs text-gray-500">{t("logHint")}</p>
      <Dialog wide open={!!editing} onClose={() => setEditing(null)} title={editing?.id ? t("edit") : t("create")}>
        {editing && <RuleEditor initial={editing} onDone={() => { setEditing(null); void invalidate(); }} />}
      </Dialog>
    </div>
  );
}

function RuleEditor({ initial, onDone }: { initial: Editing; onDone: () => void }) {
  const t = useTranslations("admin.rules");
  const ts = useTranslations("ticket");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const options = useQuery(trpc.tickets.options.queryOptions());
  const hooks = useQuery(trpc.webhooks.list.queryOptions());
  const [r, setR] = useState<Editing>(initial);
  const create = useMutation(trpc.rules.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.rules.update.mutationOptions({ onSuccess: onDone }));
  const preview = useMutation(trpc.rules.preview.mutationOptions());
  const m = r.id ? update : create;
  const errs = fieldErrors(m.error);
  const o = options.data;
  const setCond = (i: number, c: Partial<Condition>) => setR({ ...r, conditions: { ...r.conditions, items: r.conditions.items.map((x, j) => (j === i ? { ...x, ...c } : x)) } });
  const setAction = (i: number, a: Action) => setR({ ...r, actions: r.actions.map((x, j) => (j === i ? a : x)) });

  const valueChoices = (field: Condition["field"]): { value: string; label: string }[] | null => {
    if (field === "status") return ["OPEN", "PENDING", "RESOLVED", "CLOSED"].map((v) => ({ value: v, label: ts(`status.${v}`) }));
    if (field === "priority") return ["LOWEST", "LOW", "MEDIUM", "HIGH", "HIGHEST"].map((v) => ({ value: v, label: ts(`priority.${v}`) }));
    if (field === "channel") return ["EMAIL", "FORM", "CHAT", "AGENT"].map((v) => ({ value: v, label: ts(`channel.${v}`) }));
    if (field === "businessHours") return [{ value: "open", label: t("open") }, { value: "closed", label: t("closed") }];
    if (field === "typeId") return o?.types.map((x) => ({ value: x.id, label: x.name })) ?? [];
    if (field === "topicId") return o?.topics.map((x) => ({ value: x.id, label: x.name })) ?? [];
    if (field === "groupId") return o?.groups.map((x) => ({ value: x.id, label: x.name })) ?? [];
    if (field === "assigneeId") return [{ value: "", label: t("nobody") }, ...(o?.agents.map((x) => ({ value: x.id, label: x.name })) ?? [])];
    return null;
  };
  const choice = (items: { value: string; label: string }[], value: string, onChange: (v: string) => void, label: string) => (
    <select aria-label={label} className={sel} value={value} onChange={(e) => onChange(e.target.value)}>
      {!items.some((x) => x.value === value) && <option value={value}>{value ? t("unknown") : t("choose")}</option>}
      {items.map((x) => <option key={x.value} value={x.value}>{x.label}</option>)}
    </select>
  );

  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const { id, ...input } = r;
        if (id) update.mutate({ ...input, id });
        else create.mutate(input);
      }}
    >
      {m.error && <Alert>{m.error.message}</Alert>}
      <TextField label={t("name")} value={r.name} onChange={(e) => setR({ ...r, name: e.target.value })} error={errs.name} />
      <div className="flex flex-wrap gap-3">
        <label className="text-sm font-medium text-gray-700">{t("when")}
          <select className={`${sel} mt-1 block`} value={r.trigger} onChange={(e) => setR({ ...r, trigger: e.target.value as Editing["trigger"] })}>
            {TRIGGERS.map((x) => <option key={x} value={x}>{t(`trigger.${x}`)}</option>)}
          </select>
        </label>
        <label className="text-sm font-medium text-gray-700">{t("brand")}
          <select className={`${sel} mt-1 block`} value={r.brandId ?? ""} onChange={(e) => setR({ ...r, brandId: e.target.value || null })}>
            <option value="">{t("allBrands")}</option>
            {o?.brands.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
          </select>
        </label>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-gray-700">
          {t("if")}{" "}
          <select aria-label={t("match")} className={sel} value={r.conditions.match} onChange={(e) => setR({ ...r, conditions: { ...r.conditions, match: e.target.value as "all" | "any" } })}>
            <option value="all">{t("matchAll")}</option>
            <option value="any">{t("matchAny")}</option>
          </select>
        </legend>
        {r.conditions.items.length === 0 && <p className="text-xs text-gray-500">{t("noConditions")}</p>}
        {r.conditions.items.map((c, i) => {
          const choices = valueChoices(c.field);
          return (
            <div key={i} className="flex items-center gap-2" data-testid="rule-condition">
              <select aria-label={t("field")} className={sel} value={c.field} onChange={(e) => setCond(i, { field: e.target.value as Condition["field"], value: "" })}>
                {CONDITION_FIELDS.map((f) => <option key={f} value={f}>{t(`fields.${f}`)}</option>)}
              </select>
              <select aria-label={t("operator")} className={sel} value={c.op} onChange={(e) => setCond(i, { op: e.target.value as Condition["op"] })}>
                {OPERATORS.map((op) => <option key={op} value={op}>{t(`ops.${op}`)}</option>)}
              </select>
              {choices ? choice(choices, c.value, (v) => setCond(i, { value: v }), t("value")) : <input aria-label={t("value")} className={inp} value={c.value} onChange={(e) => setCond(i, { value: e.target.value })} />}
              <button type="button" aria-label={t("removeCondition")} onClick={() => setR({ ...r, conditions: { ...r.conditions, items: r.conditions.items.filter((_, j) => j !== i) } })} className="text-gray-400 hover:text-gray-700"><X className="h-4 w-4" /></button>
            </div>
          );
        })}
        <button type="button" className="inline-flex items-center gap-1 text-xs text-indigo-600 hover:underline" onClick={() => setR({ ...r, conditions: { ...r.conditions, items: [...r.conditions.items, { field: "subject", op: "contains", value: "" }] } })}>
          <Plus className="h-3 w-3" aria-hidden /> {t("addCondition")}
        </button>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-gray-700">{t("then")}</legend>
        {r.actions.map((a, i) => (
          <div key={i} className="flex flex-wrap items-start gap-2" data-testid="rule-action">
            <select aria-label={t("action")} className={sel} value={a.type} onChange={(e) => setAction(i, blankAction(e.target.value as Action["type"]))}>
              {ACTION_TYPES.map((x) => <option key={x} value={x}>{t(`actions.${x}`)}</option>)}
            </select>
            {a.type === "set_status" && choice(["OPEN", "PENDING", "RESOLVED"].map((v) => ({ value: v, label: ts(`status.${v}`) })), a.value, (v) => setAction(i, { ...a, value: v as typeof a.value }), t("value"))}
            {a.type === "set_priority" && choice(["LOWEST", "LOW", "MEDIUM", "HIGH", "HIGHEST"].map((v) => ({ value: v, label: ts(`priority.${v}`) })), a.value, (v) => setAction(i, { ...a, value: v as typeof a.value }), t("value"))}
            {a.type === "set_type" && choice(o?.types.map((x) => ({ value: x.id, label: x.name })) ?? [], a.value, (v) => setAction(i, { ...a, value: v }), t("value"))}
            {a.type === "set_topic" && choice(o?.topics.map((x) => ({ value: x.id, label: x.name })) ?? [], a.value, (v) => setAction(i, { ...a, value: v }), t("value"))}
            {a.type === "set_group" && choice(o?.groups.map((x) => ({ value: x.id, label: x.name })) ?? [], a.value, (v) => setAction(i, { ...a, value: v }), t("value"))}
            {a.type === "assign" && (
              <>
                {choice([{ value: "round_robin", label: t("roundRobin") }, { value: "least_loaded", label: t("leastLoaded") }, ...(o?.agents.map((x) => ({ value: x.id, label: x.name })) ?? [])], a.value, (v) => setAction(i, { ...a, value: v }), t("value"))}
                {(a.value === "round_robin" || a.value === "least_loaded") && choice([{ value: "", label: t("ticketGroup") }, ...(o?.groups.map((x) => ({ value: x.id, label: x.name })) ?? [])], a.groupId ?? "", (v) => setAction(i, { ...a, groupId: v || undefined }), t("group"))}
              </>
            )}
            {(a.type === "add_tags" || a.type === "remove_tags") && <input aria-label={t("tags")} placeholder={t("tagsHint")} className={inp} value={a.value.join(", ")} onChange={(e) => setAction(i, { ...a, value: e.target.value.split(",").map((x) => x.trim()).filter(Boolean) as [string] })} />}
            {a.type === "call_webhook" && choice(hooks.data?.map((h) => ({ value: h.id, label: h.url })) ?? [], a.value, (v) => setAction(i, { ...a, value: v }), t("webhook"))}
            {a.type === "add_note" && <textarea aria-label={t("note")} className={inp} rows={2} value={a.value} onChange={(e) => setAction(i, { ...a, value: e.target.value })} />}
            {a.type === "auto_reply" && (
              <div className="flex w-full flex-col gap-1">
                <textarea aria-label={t("replyOpen")} placeholder={t("replyOpen")} className={inp} rows={2} value={a.open} onChange={(e) => setAction(i, { ...a, open: e.target.value })} />
                <textarea aria-label={t("replyClosed")} placeholder={t("replyClosed")} className={inp} rows={2} value={a.closed} onChange={(e) => setAction(i, { ...a, closed: e.target.value })} />
                <span className="text-xs text-gray-500">{t("replyHint")}</span>
              </div>
            )}
            {a.type === "send_email" && (
              <div className="flex w-full flex-col gap-1">
                <input aria-label={t("to")} placeholder={t("to")} className={inp} value={a.to} onChange={(e) => setAction(i, { ...a, to: e.target.value })} />
                <input aria-label={t("subject")} placeholder={t("subject")} className={inp} value={a.subject} onChange={(e) => setAction(i, { ...a, subject: e.target.value })} />
                <textarea aria-label={t("body")} placeholder={t("body")} className={inp} rows={2} value={a.body} onChange={(e) => setAction(i, { ...a, body: e.target.value })} />
              </div>
            )}
            <button type="button" aria-label={t("removeAction")} onClick={() => setR({ ...r, actions: r.actions.filter((_, j) => j !== i) })} className="text-gray-400 hover:text-gray-700"><X className="h-4 w-4" /></button>
          </div>
        ))}
        <button type="button" className="inline-flex items-center gap-1 text-xs text-indigo-600 hover:underline" onClick={() => setR({ ...r, actions: [...r.actions, blankAction("add_tags")] })}>
          <Plus className="h-3 w-3" aria-hidden /> {t("addAction")}
        </button>
      </fieldset>

      <div className="rounded-md bg-gray-50 p-3 text-sm" aria-live="polite">
        <Button type="button" size="sm" variant="secondary" loading={preview.isPending} onClick={() => preview.mutate({ brandId: r.brandId, conditions: r.conditions })} data-testid="rule-preview">{t("preview")}</Button>
        {preview.data && (
          <div className="mt-2" data-testid="rule-preview-result">
            <p>{t("previewResult", { count: preview.data.matches.length, checked: preview.data.checked })}</p>
            <ul className="mt-1 max-h-32 overflow-auto text-xs">
              {preview.data.matches.slice(0, 20).map((x) => <li key={x.number}><Link className="text-indigo-600 hover:underline" href={`/tickets/${x.number}`}>#{x.number}</Link> {x.subject}</li>)}
            </ul>
          </div>
        )}
        {preview.error && <Alert>{preview.error.message}</Alert>}
      </div>

      <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={r.active} onChange={(e) => setR({ ...r, active: e.target.checked })} />{t("active")}</label>
      <div className="flex justify-end"><Button type="submit" loading={m.isPending}>{tc("save")}</Button></div>
    </form>
  );
}
