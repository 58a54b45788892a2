import { TZDate } from "@date-fns/tz";
import type { ReportFilters } from "@/lib/reports/filters";

/** An inclusive range of calendar days, "YYYY-MM-DD". */
export type DayRange = { from: string; to: string };

const DAY_MS = 86_400_000;

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

/** Today's calendar date in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  const t = new TZDate(now.getTime(), timeZone);
  return iso(t.getFullYear(), t.getMonth(), t.getDate());
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(r: DayRange): number {
  return Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Every day of the range, in order. */
export function eachDay(r: DayRange): string[] {
  const n = daysBetween(r);
  return Array.from({ length: Math.max(0, n) }, (_, i) => addDays(r.from, i));
}

/** The days a preset covers, counted in `timeZone` ("today" is the brand's today, not the server's). */
export function resolveRange(f: Pick<ReportFilters, "preset" | "from" | "to">, timeZone: string, now = new Date()): DayRange {
  const today = todayIn(timeZone, now);
  const [y, m] = today.split("-").map(Number) as [number, number];
  switch (f.preset) {
    case "today":
      return { from: today, to: today };
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "90d":
      return { from: addDays(today, -89), to: today };
    case "thisMonth":
      return { from: iso(y, m - 1, 1), to: today };
    case "lastMonth":
      return { from: iso(y, m - 2, 1), to: iso(y, m - 1, 0) };
    case "year":
      return { from: addDays(today, -364), to: today };
    case "custom":
      return { from: f.from ?? today, to: f.to ?? today };
  }
}

/** The period of the same length just before `r`, for comparison. */
export function previousRange(r: DayRange): DayRange {
  const n = daysBetween(r);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

/**
 * UTC instants that surely contain every local day of the range in any time zone
 * (offsets span −12h…+14h): an index-friendly pre-filter; the exact filter is on the local date.
 */
export function utcEnvelope(r: DayRange): { start: Date; end: Date } {
  return { start: new Date(Date.parse(`${r.from}T00:00:00Z`) - 14 * 3600_000), end: new Date(Date.parse(`${r.to}T00:00:00Z`) + DAY_MS + 12 * 3600_000) };
}
