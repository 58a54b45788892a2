"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { PRIORITIES, STATUSES } from "@/lib/tickets/filters";
import type { TicketOptions } from "@/components/inbox/types";

type Action =
  | { type: "assign"; assigneeId: string | null; groupId?: string | null }
  | { type: "status"; status: (typeof STATUSES)[number] }
  | { type: "priority"; priority: (typeof PRIORITIES)[number] }
  | { type: "typeId"; typeId: string | null }
  | { type: "topicId"; topicId: string | null }
  | { type: "tags"; add: string[]; remove: string[] }
  | { type: "state"; state: "ACTIVE" | "SPAM" | "TRASH" };

const sel = "rounded-md border-0 py-1 pl-2 pr-7 text-xs ring-1 ring-inset ring-indigo-300 bg-white";

export function BulkBar(p: {
  count: number;
  total?: number;
  allMatching: boolean;
  canSelectAll: boolean;
  onSelectAll: () => void;
  onClear: () => void;
  onAction: (a: Action) => void;
  options: TicketOptions;
  folder: string;
  permissions: string[];
  meId: string;
  pending: boolean;
}) {
  const t = useTranslations("inbox.bulk");
  const ts = useTranslations("ticket");
  const pick = (e: React.ChangeEvent<HTMLSelectElement>, f: (v: string) => Action) => {
    if (e.target.value) p.onAction(f(e.target.value));
    e.target.value = "";
  };
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-indigo-200 bg-indigo-50 px-4 py-2 text-sm" data-testid="bulk-bar" aria-busy={p.pending}>
      <span className="font-medium text-indigo-900" data-testid="bulk-count">{p.allMatching ? t("allMatching", { count: p.count }) : t("selected", { count: p.count })}</span>
      {p.canSelectAll && (
        <button type="button" className="text-xs text-indigo-700 underline" onClick={p.onSelectAll} data-testid="select-all-matching">
          {p.total !== undefined ? t("selectAllMatching", { count: p.total }) : t("selectAllMatchingUnknown")}
        </button>
      )}
      <span className="mx-1 h-4 w-px bg-indigo-200" aria-hidden />
      <select aria-label={t("setStatus")} className={sel} defaultValue="" onChange={(e) => pick(e, (v) => ({ type: "status", status: v as (typeof STATUSES)[number] }))} data-testid="bulk-status">
        <option value="">{t("setStatus")}</option>
        {STATUSES.map((s) => <option key={s} value={s}>{ts(`status.${s}`)}</option>)}
      </select>
      <select aria-label={t("setPriority")} className={sel} defaultValue="" onChange={(e) => pick(e, (v) => ({ type: "priority", priority: v as (typeof PRIORITIES)[number] }))}>
        <option value="">{t("setPriority")}</option>
        {PRIORITIES.map((s) => <option key={s} value={s}>{ts(`priority.${s}`)}</option>)}
      </select>
      <select aria-label={t("assign")} className={sel} defaultValue="" onChange={(e) => pick(e, (v) => ({ type: "assign", assigneeId: v === "none" ? null : v }))}>
        <option value="">{t("assign")}</option>
        <option value={p.meId}>{t("toMe")}</option>
        <option value="none">{t("unassign")}</option>
        {p.options.agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
      </select>
      <select aria-label={t("setType")} className={sel} defaultValue="" onChange={(e) => pick(e, (v) => ({ type: "typeId", typeId: v === "none" ? null : v }))}>
        <option value="">{t("setType")}</option>
        {p.options.types.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
      </select>
      <select aria-label={t("setTopic")} className={sel} defaultValue="" onChange={(e) => pick(e, (v) => ({ type: "topicId", topicId: v === "none" ? null : v }))}>
        <option value="">{t("setTopic")}</option>
        {p.options.topics.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
      </select>
      <select aria-label={t("addTag")} className={sel} defaultValue="" onChange={(e) => pick(e, (v) => ({ type: "tags", add: [v], remove: [] }))}>
        <option value="">{t("addTag")}</option>
        {p.options.tags.map((x) => <option key={x} value={x}>{x}</option>)}
      </select>
      <select aria-label={t("removeTag")} className={sel} defaultValue="" onChange={(e) => pick(e, (v) => ({ type: "tags", add: [], remove: [v] }))}>
        <option value="">{t("removeTag")}</option>
        {p.options.tags.map((x) => <option key={x} value={x}>{x}</option>)}
      </select>
      {p.permissions.includes("tickets.delete") && (
        <>
          {p.folder !== "spam" && <Button size="sm" variant="secondary" onClick={() => p.onAction({ type: "state", state: "SPAM" })}>{t("spam")}</Button>}
          {p.folder !== "trash" && <Button size="sm" variant="secondary" onClick={() => p.onAction({ type: "state", state: "TRASH" })} data-testid="bulk-trash">{t("trash")}</Button>}
          {(p.folder === "spam" || p.folder === "trash") && <Button size="sm" variant="secondary" onClick={() => p.onAction({ type: "state", state: "ACTIVE" })} data-testid="bulk-restore">{t("restore")}</Button>}
        </>
      )}
      <button type="button" className="ml-auto text-xs text-gray-600 hover:underline" onClick={p.onClear}>{t("clear")}</button>
    </div>
  );
}
