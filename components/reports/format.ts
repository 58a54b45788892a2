import type { Cell, Column } from "@/lib/reports/tables";

export type Units = { d: string; h: string; m: string; s: string };

/** A duration in whole seconds as its two largest units: "2d 3h", "1h 05m", "45s". */
export function formatDuration(seconds: number | null, u: Units): string {
  if (seconds === null) return "—";
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}${u.d} ${h}${u.h}`;
  if (h) return `${h}${u.h} ${String(m).padStart(2, "0")}${u.m}`;
  if (m) return `${m}${u.m} ${String(s % 60).padStart(2, "0")}${u.s}`;
  return `${s}${u.s}`;
}

export function formatRate(r: number | null, locale: string): string {
  return r === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(r);
}

export function formatCell(v: Cell, kind: Column["kind"], ctx: { units: Units; locale: string }): string {
  if (v === null) return "—";
  if (kind === "seconds") return formatDuration(Number(v), ctx.units);
  if (kind === "rate") return formatRate(Number(v), ctx.locale);
  if (kind === "time") return new Intl.DateTimeFormat(ctx.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(String(v)));
  if (kind === "count") return new Intl.NumberFormat(ctx.locale).format(Number(v));
  return String(v);
}
