/**
 * Business-time arithmetic for a brand's opening hours (see schedule-schema.ts for the format).
 *
 * Model. Every local calendar day D of the schedule's time zone contributes the intervals of its
 * weekday, converted to UTC instants (unless D is a holiday). An overnight shift belongs to the
 * day it starts on: a holiday on that day cancels it, while a holiday on the following day does
 * not shorten it. Open periods are half-open, [opening, closing): the desk is open at the opening
 * instant and closed at the closing instant.
 *
 * Daylight-saving time. Wall-clock times are converted with the zone's real offsets, so an
 * interval spanning the spring-forward gap is an hour shorter and one spanning the fall-back
 * overlap an hour longer. A wall time that does not exist (inside the gap) maps to the instant
 * of the transition; an ambiguous one (inside the overlap) maps to its first occurrence. Both
 * rules keep the mapping monotonic, so adjacent intervals never overlap or leave a hole.
 *
 * Precision. Minutes may be fractional; instants are whole milliseconds, so
 * `addBusinessMinutes` rounds `minutes × 60 000` to the nearest millisecond and
 * `businessMinutesBetween` returns exact fractional minutes (milliseconds / 60 000) — callers
 * that want whole minutes floor the result themselves.
 *
 * No open time. Searches for the next open period look at most {@link SEARCH_HORIZON_DAYS}
 * (about three years) past the last open day: `nextOpening`/`nextClosing` then return null and
 * `addBusinessMinutes` throws {@link NoBusinessTimeError}. Nothing loops minute by minute: the
 * work is per local day and per interval.
 */
import { tzOffset } from "@date-fns/tz";
import { type BusinessHours, type BusinessHoursInput, DAY_KEYS, intervalMinutes, parseBusinessHours } from "./schedule-schema";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** How far past the last open day a search for open time goes before giving up (~3 years). */
export const SEARCH_HORIZON_DAYS = 3 * 366;
/** `addBusinessMinutes` refuses to scan more than this many calendar days (~200 years). */
export const MAX_SCAN_DAYS = 200 * 366;

/** No open time within the search horizon (e.g. every day is a holiday). */
export class NoBusinessTimeError extends Error {
  constructor(timezone: string, from: Date) {
    super(`The business hours (${timezone}) have no open time within ${SEARCH_HORIZON_DAYS} days after ${from.toISOString()}.`);
    this.name = "NoBusinessTimeError";
  }
}

/** An open period: the desk is open from `start` (inclusive) until `end` (exclusive). */
export interface OpenPeriod {
  start: Date;
  end: Date;
}

type Interval = readonly [start: number, end: number];
type ScanResult = "stopped" | "exhausted" | "end";

/**
 * Compiled business hours: validate once, then query many times. The exported functions accept
 * either plain business hours (validated on every call) or a calendar (reused).
 */
export class BusinessCalendar {
  readonly hours: BusinessHours;
  readonly timezone: string;
  /** Per weekday (0 = Sunday), intervals as minutes from that day's midnight, sorted by start. */
  private readonly week: ReadonlyArray<ReadonlyArray<Interval>>;
  private readonly holidays: ReadonlySet<string>;
  private readonly recurringHolidays: ReadonlySet<string>;
  private readonly dayCache = new Map<number, ReadonlyArray<Interval>>();

  constructor(hours: BusinessHoursInput) {
    this.hours = parseBusinessHours(hours);
    this.timezone = this.hours.timezone;
    this.week = DAY_KEYS.map((k) => (this.hours.schedule[k] ?? []).map((iv) => intervalMinutes(iv)).sort((a, b) => a[0] - b[0]));
    this.holidays = new Set(this.hours.holidays.map((h) => h.date));
    this.recurringHolidays = new Set(this.hours.holidays.filter((h) => h.recurring).map((h) => h.date.slice(5)));
    if (Number.isNaN(tzOffset(this.timezone, new Date(0)))) throw new RangeError(`Unknown time zone "${this.timezone}".`);
  }

  /** True when the desk is open at `at` (open at an opening instant, closed at a closing instant). */
  isOpen(at: Date): boolean {
    const t = ms(at, "at");
    const found = { open: false };
    // The first interval ending after t is the one with the earliest start: open iff it has begun.
    this.scan(
      t,
      (s) => {
        found.open = s <= t;
        return true;
      },
      { maxDay: this.localDay(t) + 1 },
    );
    return found.open;
  }

  /** `at` itself when open, otherwise the start of the next open period; null when none within the horizon. */
  nextOpening(at: Date): Date | null {
    const t = ms(at, "at");
    const found: { at: number | null } = { at: null };
    this.scan(
      t,
      (s) => {
        found.at = Math.max(s, t);
        return true;
      },
      { gapDays: SEARCH_HORIZON_DAYS },
    );
    return found.at === null ? null : new Date(found.at);
  }

  /**
   * The end of the open period containing `at` or, when closed, of the next open period (touching
   * intervals — e.g. 24:00 followed by 00:00 — form one period). Null when there is no open time
   * within the horizon, or when the desk stays open for longer than the horizon (e.g. 24/7).
   */
  nextClosing(at: Date): Date | null {
    const t = ms(at, "at");
    const limit = t + SEARCH_HORIZON_DAYS * DAY_MS;
    const period: { end: number | null; unbounded: boolean } = { end: null, unbounded: false };
    this.scan(
      t,
      (s, e) => {
        if (period.end === null) period.end = e;
        else if (s <= period.end) period.end = Math.max(period.end, e);
        else return true;
        if (period.end > limit) period.unbounded = true;
        return period.unbounded;
      },
      { gapDays: SEARCH_HORIZON_DAYS },
    );
    return period.end === null || period.unbounded ? null : new Date(period.end);
  }

  /**
   * The instant at which `minutes` of business time have elapsed since `start`. When `start` is
   * outside business hours the clock starts at the next opening (so 0 minutes gives the next
   * opening). When the time runs out exactly at a closing instant, that closing instant is returned.
   * Throws RangeError for negative/non-finite minutes and {@link NoBusinessTimeError} when the
   * schedule has no open time within the horizon.
   */
  addBusinessMinutes(start: Date, minutes: number): Date {
    const t0 = ms(start, "start");
    if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Business minutes must be a finite number ≥ 0 (got ${minutes}).`);
    return new Date(this.addBusinessMs(t0, Math.round(minutes * MINUTE_MS)));
  }

  /** @internal {@link addBusinessMinutes} for epoch milliseconds and a whole number of milliseconds ≥ 0. */
  addBusinessMs(t0: number, amount: number): number {
    const st: { remaining: number; cursor: number; result: number | null } = { remaining: amount, cursor: t0, result: null };
    const r = this.scan(
      t0,
      (s, e) => {
        const a = Math.max(s, st.cursor);
        if (e <= a) return false;
        if (st.remaining <= e - a) {
          st.result = a + st.remaining;
          return true;
        }
        st.remaining -= e - a;
        st.cursor = e;
        return false;
      },
      { gapDays: SEARCH_HORIZON_DAYS, maxDay: this.localDay(t0) + MAX_SCAN_DAYS },
    );
    if (st.result !== null) return st.result;
    if (r === "end") throw new RangeError(`Adding ${amount / MINUTE_MS} business minutes to ${new Date(t0).toISOString()} goes more than ${MAX_SCAN_DAYS} days ahead.`);
    throw new NoBusinessTimeError(this.timezone, new Date(st.cursor));
  }

  /**
   * Business minutes in [from, to): exact and possibly fractional (millisecond resolution);
   * 0 when `to` ≤ `from`.
   */
  businessMinutesBetween(from: Date, to: Date): number {
    return this.businessMsBetween(ms(from, "from"), ms(to, "to")) / MINUTE_MS;
  }

  /** The open periods overlapping [from, to), clipped to it, touching intervals merged. */
  openPeriods(from: Date, to: Date): OpenPeriod[] {
    const f = ms(from, "from");
    const t = ms(to, "to");
    const out: [number, number][] = [];
    if (t <= f) return [];
    this.scan(
      f,
      (s, e) => {
        if (s >= t) return true;
        const a = Math.max(s, f);
        const b = Math.min(e, t);
        const last = out[out.length - 1];
        if (last && a <= last[1]) last[1] = Math.max(last[1], b);
        else if (b > a) out.push([a, b]);
        return false;
      },
      { maxDay: this.localDay(t) },
    );
    return out.map(([a, b]) => ({ start: new Date(a), end: new Date(b) }));
  }

  /** @internal Business milliseconds in [from, to) for epoch-millisecond instants. */
  businessMsBetween(from: number, to: number): number {
    if (!(to > from)) return 0;
    const st = { sum: 0, cursor: from };
    this.scan(
      from,
      (s, e) => {
        if (s >= to) return true;
        const a = Math.max(s, st.cursor);
        const b = Math.min(e, to);
        if (b > a) {
          st.sum += b - a;
          st.cursor = b;
        }
        return false;
      },
      { maxDay: this.localDay(to) },
    );
    return st.sum;
  }

  /**
   * Visits, in order of start, every open interval (UTC milliseconds) that ends after `from`,
   * beginning with the local day before `from`'s (its overnight shift may still be running).
   * Intervals of consecutive days may touch. Stops when `visit` returns true ("stopped"), after
   * `maxDay` ("end"), or when `gapDays` days pass without any open interval ("exhausted").
   */
  private scan(from: number, visit: (start: number, end: number) => boolean, opts: { maxDay?: number; gapDays?: number }): ScanResult {
    let day = this.localDay(from) - 1;
    let lastOpenDay = day;
    for (;;) {
      if (opts.maxDay !== undefined && day > opts.maxDay) return "end";
      if (opts.gapDays !== undefined && day - lastOpenDay > opts.gapDays) return "exhausted";
      for (const [s, e] of this.intervalsOfDay(day)) {
        lastOpenDay = day;
        if (e <= from) continue;
        if (visit(s, e)) return "stopped";
      }
      day++;
    }
  }

  /** The open intervals (UTC ms) that belong to local day `day` (days since 1970-01-01). */
  private intervalsOfDay(day: number): ReadonlyArray<Interval> {
    const cached = this.dayCache.get(day);
    if (cached) return cached;
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    const out: Interval[] = [];
    if (!this.holidays.has(date) && !this.recurringHolidays.has(date.slice(5))) {
      for (const [sm, em] of this.week[weekday] ?? []) {
        const s = this.wallToInstant(day * DAY_MS + sm * MINUTE_MS);
        const e = this.wallToInstant(day * DAY_MS + em * MINUTE_MS);
        if (e > s) out.push([s, e]);
      }
    }
    if (this.dayCache.size >= 4096) this.dayCache.clear();
    this.dayCache.set(day, out);
    return out;
  }

  /** The local calendar day (days since 1970-01-01) of an instant. */
  localDay(t: number): number {
    return Math.floor((t + this.offsetMs(t)) / DAY_MS);
  }

  /** UTC offset in milliseconds at instant `t`. */
  private offsetMs(t: number): number {
    return Math.round(tzOffset(this.timezone, new Date(t)) * MINUTE_MS);
  }

  /**
   * A wall-clock time (written as if it were UTC milliseconds) → the instant. Ambiguous (fall
   * back): the first occurrence. Non-existent (spring forward): the instant of the transition.
   */
  private wallToInstant(wall: number): number {
    // Offsets lie within −12h…+14h, so the instant lies in [wall − 14h, wall + 12h].
    const before = this.offsetMs(wall - 14 * 3_600_000);
    const after = this.offsetMs(wall + 12 * 3_600_000);
    if (before === after) return wall - before;
    const candidates = [wall - before, wall - after].filter((t) => this.offsetMs(t) === wall - t);
    if (candidates.length > 0) return Math.min(...candidates);
    // In the gap: the transition lies between wall − after (old offset) and wall − before (new).
    let lo = wall - after;
    let hi = wall - before;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offsetMs(mid) === before) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

export type BusinessHoursLike = BusinessHoursInput | BusinessCalendar;

/** A calendar for `hours` (the same object when it already is one). Validates plain business hours. */
// Hours read once and kept (cached policies, brand hours, form configuration) are compiled
// once: keyed by the object itself, so hours read afresh are compiled afresh.
const compiled = new WeakMap<object, BusinessCalendar>();

/** Hours as a calendar (the same calendar again for the same hours object, which must not be changed after). */
export function businessCalendar(hours: BusinessHoursLike): BusinessCalendar {
  if (hours instanceof BusinessCalendar) return hours;
  let cal = compiled.get(hours);
  if (!cal) {
    cal = new BusinessCalendar(hours);
    compiled.set(hours, cal);
  }
  return cal;
}

// Hours read afresh for every ticket (a rules snapshot) are the same few calendars again:
// kept by content, the most recent ones.
const byContent = new Map<string, BusinessCalendar>();
const BY_CONTENT_MAX = 64;

/**
 * A calendar for hours as read from the database (a fresh object each time): the same
 * calendar again for the same time zone, schedule and holidays. Throws as businessCalendar.
 */
export function businessCalendarOf(hours: BusinessHoursInput): BusinessCalendar {
  const key = JSON.stringify([hours.timezone, hours.schedule, hours.holidays]);
  let cal = byContent.get(key);
  if (cal) {
    byContent.delete(key);
  } else {
    cal = new BusinessCalendar(hours);
    if (byContent.size >= BY_CONTENT_MAX) byContent.delete(byContent.keys().next().value!);
  }
  byContent.set(key, cal);
  return cal;
}

function ms(d: Date, name: string): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`"${name}" is not a valid date.`);
  return t;
}

/** True when the desk is open at `at` (open at the opening instant, closed at the closing instant). */
export function isOpen(hours: BusinessHoursLike, at: Date): boolean {
  return businessCalendar(hours).isOpen(at);
}

/** See {@link BusinessCalendar.addBusinessMinutes}. */
export function addBusinessMinutes(hours: BusinessHoursLike, start: Date, minutes: number): Date {
  return businessCalendar(hours).addBusinessMinutes(start, minutes);
}

/** Business minutes in [from, to): fractional (millisecond resolution); 0 when `to` ≤ `from`. */
export function businessMinutesBetween(hours: BusinessHoursLike, from: Date, to: Date): number {
  return businessCalendar(hours).businessMinutesBetween(from, to);
}

/** `at` when open, else the next opening; null when there is none within ~3 years. */
export function nextOpening(hours: BusinessHoursLike, at: Date): Date | null {
  return businessCalendar(hours).nextOpening(at);
}

/** End of the current (or, when closed, the next) open period; null when none / open beyond ~3 years. */
export function nextClosing(hours: BusinessHoursLike, at: Date): Date | null {
  return businessCalendar(hours).nextClosing(at);
}
