import type { BusinessCalendar } from "@/lib/sla/business-hours";
import { percentile } from "@/lib/reports/stats";

/** Median and p90 of a set of durations, in calendar seconds and in the brand's business seconds. */
export type DurationStats = { count: number; median: number | null; p90: number | null; businessMedian: number | null; businessP90: number | null };

export type Span = { brandId: string; from: Date; to: Date };

export function calendarSeconds(s: Span): number {
  return Math.max(0, (s.to.getTime() - s.from.getTime()) / 1000);
}

/** Business seconds of the span in its brand's hours; null when the brand has none. */
export function businessSeconds(s: Span, calendars: Map<string, BusinessCalendar | null>): number | null {
  const cal = calendars.get(s.brandId);
  return cal ? Math.round(cal.businessMinutesBetween(s.from, s.to) * 60) : null;
}

export function durationStats(spans: Span[], calendars: Map<string, BusinessCalendar | null>): DurationStats {
  const cal = spans.map(calendarSeconds);
  const biz = spans.map((s) => businessSeconds(s, calendars)).filter((x): x is number => x !== null);
  // Whole seconds: finer than any report shows, and the same on screen and in the CSV.
  const p = (values: number[], q: number) => {
    const v = percentile(values, q);
    return v === null ? null : Math.round(v);
  };
  return { count: spans.length, median: p(cal, 0.5), p90: p(cal, 0.9), businessMedian: p(biz, 0.5), businessP90: p(biz, 0.9) };
}
