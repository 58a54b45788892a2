import { z } from "zod";

// Shared by the server (validation), the report pages (URL <-> filters) and the CSV route.
export const PRESETS = ["today", "7d", "30d", "90d", "thisMonth", "lastMonth", "year", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22.").refine((d) => !Number.isNaN(Date.parse(d)), "Not a real date.");
const id = z.string().min(1).max(64);

export const reportFilterSchema = z
  .object({
    preset: z.enum(PRESETS).default("30d"),
    from: day.optional(),
    to: day.optional(),
    brandId: id.optional(),
    groupId: id.optional(),
  })
  .refine((f) => f.preset !== "custom" || (f.from && f.to), { message: "A custom range needs a start and an end date.", path: ["from"] })
  .refine((f) => f.preset !== "custom" || !f.from || !f.to || f.from <= f.to, { message: "The start date must be on or before the end date.", path: ["to"] });

export type ReportFilterInput = z.input<typeof reportFilterSchema>;
export type ReportFilters = z.output<typeof reportFilterSchema>;

/** Reads report filters from URL search params; anything invalid falls back to the default with a message. */
export function reportFiltersFromParams(params: Record<string, string | string[] | undefined>): { filters: ReportFilters; errors: string[] } {
  const first = (k: string) => {
    const v = params[k];
    return (Array.isArray(v) ? v[0] : v) || undefined;
  };
  const raw = { preset: first("preset"), from: first("from"), to: first("to"), brandId: first("brandId"), groupId: first("groupId") };
  const r = reportFilterSchema.safeParse(raw);
  if (r.success) return { filters: r.data, errors: [] };
  return { filters: reportFilterSchema.parse({ brandId: raw.brandId, groupId: raw.groupId }), errors: r.error.issues.map((i) => i.message) };
}

export function reportFiltersToParams(f: Partial<ReportFilters>): URLSearchParams {
  const p = new URLSearchParams();
  if (f.preset) p.set("preset", f.preset);
  if (f.preset === "custom") {
    if (f.from) p.set("from", f.from);
    if (f.to) p.set("to", f.to);
  }
  if (f.brandId) p.set("brandId", f.brandId);
  if (f.groupId) p.set("groupId", f.groupId);
  return p;
}
