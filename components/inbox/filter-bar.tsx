"use client";
import { useTranslations } from "next-intl";
import { useEffect, useState, type RefObject } from "react";
import { CHANNELS, PRIORITIES, STATUSES, filtersToParams, type TicketFilters } from "@/lib/tickets/filters";
import type { TicketOptions } from "@/components/inbox/types";

const sel = "rounded-md border-0 py-1 pl-2 pr-7 text-xs ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-indigo-600";

function one<T extends string>(v: T[] | undefined) {
  return v?.length === 1 ? v[0] : "";
}

export function FilterBar({ filters, options, onChange, searchRef }: { filters: TicketFilters; options: TicketOptions; onChange: (f: TicketFilters) => void; searchRef: RefObject<HTMLInputElement | null> }) {
  const t = useTranslations("inbox.filters");
  const ts = useTranslations("ticket");
  // A search set from elsewhere (a saved view, the back button) shows in the field, unless someone is typing in it.
  useEffect(() => {
    const el = searchRef.current;
    if (el && document.activeElement !== el) el.value = filters.q ?? "";
  }, [filters.q, searchRef]);
  const set = (patch: Partial<TicketFilters>) => onChange({ ...filters, ...patch });
  const secondarySet = !!(filters.groupId || filters.typeId || filters.topicId || filters.tags?.length || filters.minMessages || filters.createdFrom || filters.createdTo || filters.updatedFrom || filters.updatedTo || (options.brands.length > 1 && filters.brandId));
  const [more, setMore] = useState(secondarySet);
  const active = Object.entries(filters).some(([k, v]) => !["folder", "sort"].includes(k) && v !== undefined && !(Array.isArray(v) && !v.length));
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-gray-200 bg-white px-4 py-2" data-testid="filter-bar">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const typed = String(new FormData(e.currentTarget).get("q") ?? "").trim();
          set({ q: typed || undefined });
        }}
        role="search"
        method="get"
      >
        {/* Before hydration (or without JavaScript) Enter still searches: the browser submits the other filters with q. */}
        {[...filtersToParams({ ...filters, q: undefined })].map(([k, v], i) => <input key={`${k}-${i}`} type="hidden" name={k} value={v} />)}
        {/* Uncontrolled, so hydration never clears what was typed before it. */}
        <input ref={searchRef} type="search" name="q" defaultValue={filters.q ?? ""} placeholder={t("search")} aria-label={t("search")} className="w-64 rounded-md border-0 px-2.5 py-1 text-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-indigo-600" data-testid="search" />
      </form>
      <select aria-label={t("status")} className={sel} value={one(filters.status)} onChange={(e) => set({ status: e.target.value ? [e.target.value as (typeof STATUSES)[number]] : undefined })} data-testid="filter-status">
        <option value="">{t("anyStatus")}</option>
        {STATUSES.map((s) => <option key={s} value={s}>{ts(`status.${s}`)}</option>)}
      </select>
      <select aria-label={t("priority")} className={sel} value={one(filters.priority)} onChange={(e) => set({ priority: e.target.value ? [e.target.value as (typeof PRIORITIES)[number]] : undefined })}>
        <option value="">{t("anyPriority")}</option>
        {PRIORITIES.map((p) => <option key={p} value={p}>{ts(`priority.${p}`)}</option>)}
      </select>
      <select aria-label={t("sla")} className={sel} value={filters.sla ?? ""} onChange={(e) => set({ sla: (e.target.value || undefined) as "at_risk" | "breached" | undefined })} data-testid="filter-sla">
        <option value="">{t("slaAny")}</option>
        <option value="at_risk">{t("slaAtRisk")}</option>
        <option value="breached">{t("slaBreached")}</option>
      </select>
      <select aria-label={t("assignee")} className={sel} value={filters.assignee ?? ""} onChange={(e) => set({ assignee: e.target.value || undefined })} data-testid="filter-assignee">
        <option value="">{t("anyone")}</option>
        <option value="me">{t("me")}</option>
        <option value="unassigned">{t("unassigned")}</option>
        {options.agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
      </select>
      <select aria-label={t("channel")} className={sel} value={one(filters.channel)} onChange={(e) => set({ channel: e.target.value ? [e.target.value as (typeof CHANNELS)[number]] : undefined })}>
        <option value="">{t("anyChannel")}</option>
        {CHANNELS.map((c) => <option key={c} value={c}>{ts(`channel.${c}`)}</option>)}
      </select>
      <select aria-label={t("sort")} className={sel} value={filters.sort} onChange={(e) => set({ sort: e.target.value as TicketFilters["sort"] })}>
        <option value="updated">{t("sortUpdated")}</option>
        <option value="created">{t("sortCreated")}</option>
        <option value="priority">{t("sortPriority")}</option>
      </select>
      <button type="button" className="text-xs text-gray-600 hover:underline" aria-expanded={more} onClick={() => setMore((v) => !v)} data-testid="more-filters">
        {more ? t("fewerFilters") : t("moreFilters")}
      </button>
      {active && (
        <button type="button" className="text-xs text-indigo-600 hover:underline" onClick={() => onChange({ folder: filters.folder, sort: filters.sort })}>
          {t("clear")}
        </button>
      )}
      {more && (
      <div className="flex w-full flex-wrap items-center gap-2">
      <select aria-label={t("group")} className={sel} value={filters.groupId ?? ""} onChange={(e) => set({ groupId: e.target.value || undefined })}>
        <option value="">{t("anyGroup")}</option>
        {options.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </select>
      <select aria-label={t("type")} className={sel} value={filters.typeId ?? ""} onChange={(e) => set({ typeId: e.target.value || undefined })}>
        <option value="">{t("anyType")}</option>
        {options.types.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
      </select>
      <select aria-label={t("topic")} className={sel} value={filters.topicId ?? ""} onChange={(e) => set({ topicId: e.target.value || undefined })}>
        <option value="">{t("anyTopic")}</option>
        {options.topics.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
      </select>
      <select aria-label={t("tag")} className={sel} value={one(filters.tags)} onChange={(e) => set({ tags: e.target.value ? [e.target.value] : undefined })}>
        <option value="">{t("anyTag")}</option>
        {options.tags.map((x) => <option key={x} value={x}>{x}</option>)}
      </select>
      {options.brands.length > 1 && (
        <select aria-label={t("brand")} className={sel} value={filters.brandId ?? ""} onChange={(e) => set({ brandId: e.target.value || undefined })}>
          <option value="">{t("anyBrand")}</option>
          {options.brands.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
      )}
      <label className="flex items-center gap-1 text-xs text-gray-500">
        {t("minMessages")}
        <input type="number" min={1} className="w-14 rounded-md border-0 px-1.5 py-1 text-xs ring-1 ring-inset ring-gray-300" value={filters.minMessages ?? ""} onChange={(e) => set({ minMessages: e.target.value ? Math.max(1, Number(e.target.value)) : undefined })} />
      </label>
      <label className="flex items-center gap-1 text-xs text-gray-500">
        {t("created")}
        <input type="date" aria-label={t("createdFrom")} className="rounded-md border-0 px-1.5 py-0.5 text-xs ring-1 ring-inset ring-gray-300" value={filters.createdFrom ?? ""} onChange={(e) => set({ createdFrom: e.target.value || undefined })} />
        –
        <input type="date" aria-label={t("createdTo")} className="rounded-md border-0 px-1.5 py-0.5 text-xs ring-1 ring-inset ring-gray-300" value={filters.createdTo ?? ""} onChange={(e) => set({ createdTo: e.target.value || undefined })} />
      </label>
      <label className="flex items-center gap-1 text-xs text-gray-500">
        {t("updated")}
        <input type="date" aria-label={t("updatedFrom")} className="rounded-md border-0 px-1.5 py-0.5 text-xs ring-1 ring-inset ring-gray-300" value={filters.updatedFrom ?? ""} onChange={(e) => set({ updatedFrom: e.target.value || undefined })} />
        –
        <input type="date" aria-label={t("updatedTo")} className="rounded-md border-0 px-1.5 py-0.5 text-xs ring-1 ring-inset ring-gray-300" value={filters.updatedTo ?? ""} onChange={(e) => set({ updatedTo: e.target.value || undefined })} />
      </label>
      </div>
      )}
    </div>
  );
}
