import type { BusinessCalendar } from "@/lib/sla/business-hours";
import { percentile } from "@/lib/reports/stats";

/** Median and p90 of a set of durations, in calendar seconds and in the brand's business seconds. */
export type DurationStats = { count: number; median: number | null; p90: number | null; businessMedian: number | null; businessP90: number | null };

export type Span = { brandId: string; from: Date; to: Date };

export function calendarSeconds(s: Span): number {
  return Math.max(0, (s.to.getTime() - s.from.getTime()) / 1000);
}

/**
 * Business time for many spans at once: the brand's open periods over the whole window are
 * listed once, with running totals, so each span costs two binary searches instead of a walk
 * over its days. Gives exactly BusinessCalendar.businessMinutesBetween.
 */
export class BusinessClock {
  /** The window's open periods (ms) and the business ms before each: also sent to SQL by business-fill. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly before: number[] = [];

  constructor(calendar: BusinessCalendar, from: number, to: number) {
    let sum = 0;
    for (const p of calendar.openPeriods(new Date(from), new Date(to))) {
      this.starts.push(p.start.getTime());
      this.ends.push(p.end.getTime());
      this.before.push(sum);
      sum += p.end.getTime() - p.start.getTime();
    }
  }

  /** Business milliseconds from the window's start up to `t`. */
  private at(t: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= t) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (i < 0) return 0;
    return this.before[i]! + Math.min(t, this.ends[i]!) - this.starts[i]!;
  }

  seconds(from: Date, to: Date): number {
    return Math.max(0, this.at(to.getTime()) - this.at(from.getTime())) / 1000;
  }
}

/** One clock per brand, covering every span of that brand; null for a brand without hours. */
function clocks(spans: Span[], calendars: Map<string, BusinessCalendar | null>): Map<string, BusinessClock | null> {
  const bounds = new Map<string, [number, number]>();
  for (const s of spans) {
    const b = bounds.get(s.brandId);
    const f = s.from.getTime();
    const t = s.to.getTime();
    if (!b) bounds.set(s.brandId, [f, t]);
    else {
      if (f < b[0]) b[0] = f;
      if (t > b[1]) b[1] = t;
    }
  }
  const out = new Map<string, BusinessClock | null>();
  for (const [brand, [f, t]] of bounds) {
    const cal = calendars.get(brand);
    out.set(brand, cal && t > f ? new BusinessClock(cal, f, t) : null);
  }
  return out;
}

export function durationStats(spans: Span[], calendars: Map<string, BusinessCalendar | null>): DurationStats {
  const byBrand = clocks(spans, calendars);
  const cal: number[] = [];
  const biz: number[] = [];
  for (const s of spans) {
    cal.push(calendarSeconds(s));
    const clock = byBrand.get(s.brandId);
    if (clock) biz.push(clock.seconds(s.from, s.to));
  }
  // Whole seconds: finer than any report shows, and the same on screen and in the CSV.
  const p = (values: number[], q: number) => {
    const v = percentile(values, q);
    return v === null ? null : Math.round(v);
  };
  return { count: spans.length, median: p(cal, 0.5), p90: p(cal, 0.9), businessMedian: p(biz, 0.5), businessP90: p(biz, 0.9) };
}
