"use client";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { PRESETS, reportFiltersToParams, type ReportFilters } from "@/lib/reports/filters";
import { Button } from "@/components/ui/button";

const sel = "rounded-md border-0 py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-indigo-600";

/** Date range (presets or custom, in the brand's time zone), brand and group. Filters live in the URL. */
export function ReportFiltersBar({ filters, brands, groups, range, previous, timeZone }: { filters: ReportFilters; brands: { id: string; name: string }[]; groups: { id: string; name: string }[]; range: { from: string; to: string }; previous: { from: string; to: string }; timeZone: string }) {
  const t = useTranslations("reports.filters");
  const router = useRouter();
  const pathname = usePathname();
  const [pending, start] = useTransition();
  const [from, setFrom] = useState(filters.from ?? range.from);
  const [to, setTo] = useState(filters.to ?? range.to);
  const go = (f: ReportFilters) => start(() => router.push(`${pathname}?${reportFiltersToParams(f).toString()}`));
  return (
    <div className="mb-6 flex flex-wrap items-end gap-3" data-testid="report-filters" aria-busy={pending || undefined}>
      <label className="text-xs text-gray-600">
        <span className="mb-1 block">{t("period")}</span>
        <select className={sel} value={filters.preset} onChange={(e) => go({ ...filters, preset: e.target.value as ReportFilters["preset"], from: e.target.value === "custom" ? from : undefined, to: e.target.value === "custom" ? to : undefined })} data-testid="filter-preset">
          {PRESETS.map((p) => <option key={p} value={p}>{t(`presets.${p}`)}</option>)}
        </select>
      </label>
      {filters.preset === "custom" && (
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            go({ ...filters, from, to });
          }}
        >
          <label className="text-xs text-gray-600">
            <span className="mb-1 block">{t("from")}</span>
            <input type="date" required value={from} max={to} onChange={(e) => setFrom(e.target.value)} className={sel} data-testid="filter-from" />
          </label>
          <label className="text-xs text-gray-600">
            <span className="mb-1 block">{t("to")}</span>
            <input type="date" required value={to} min={from} onChange={(e) => setTo(e.target.value)} className={sel} data-testid="filter-to" />
          </label>
          <Button type="submit" size="sm" variant="secondary">{t("apply")}</Button>
        </form>
      )}
      {brands.length > 1 && (
        <label className="text-xs text-gray-600">
          <span className="mb-1 block">{t("brand")}</span>
          <select className={sel} value={filters.brandId ?? ""} onChange={(e) => go({ ...filters, brandId: e.target.value || "all" })} data-testid="filter-brand">
            <option value="">{t("allBrands")}</option>
            {brands.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
          </select>
        </label>
      )}
      <label className="text-xs text-gray-600">
        <span className="mb-1 block">{t("group")}</span>
        <select className={sel} value={filters.groupId ?? ""} onChange={(e) => go({ ...filters, groupId: e.target.value || undefined })} data-testid="filter-group">
          <option value="">{t("allGroups")}</option>
          {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </select>
      </label>
      <p className="pb-1 text-xs text-gray-500" data-testid="report-range">
        {t("showing", { from: range.from, to: range.to, timeZone })} · {t("comparedWith", { from: previous.from, to: previous.to })}
      </p>
    </div>
  );
}
