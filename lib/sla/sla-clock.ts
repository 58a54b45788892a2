/**
 * SLA clocks: due and warning times for a ticket's first response and resolution, measured in
 * business time (or calendar time when the policy has no business hours), with the clock stopped
 * while the ticket is paused (e.g. Pending).
 *
 * Definitions. The clock runs from `createdAt`; paused periods (merged, clipped to start at
 * `createdAt`) do not count. A target of N minutes is due at the first instant at which N
 * unpaused business minutes have elapsed; its warning at the first instant at which
 * N × warnAtPercent / 100 minutes have elapsed. So every closed pause shifts the due time later
 * by the business minutes it covered.
 *
 * Open-ended pause (the ticket is paused right now). A due/warning time already reached before
 * the pause began is still returned (it lies in the past). One not yet reached is undetermined:
 * it is returned as null, `paused` is true, and `…PausedRemainingMinutes` holds the business
 * minutes still left on that clock, so on resume the caller can set
 * `dueAt = addBusinessMinutes(hours, resumedAt, remaining)` — or simply recompute with the pause
 * closed, which gives the same result.
 *
 * Minutes are fractional (millisecond resolution); see business-hours.ts.
 */
import { type BusinessHoursLike, businessCalendar } from "./business-hours";

const MINUTE_MS = 60_000;

export interface SlaPolicyTargets {
  /** Null/undefined: no first-response target. */
  firstResponseMinutes?: number | null;
  /** Null/undefined: no resolution target. */
  resolutionMinutes?: number | null;
  /** Warn when this share of the target has elapsed; ≤ 0 or ≥ 100 disables warnings. */
  warnAtPercent: number;
}

/** A period during which the SLA clock is stopped; `to: null` = still paused. */
export interface PauseInterval {
  from: Date;
  to: Date | null;
}

export interface SlaDueTimes {
  firstResponseDueAt: Date | null;
  firstResponseWarnAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionWarnAt: Date | null;
  /** True while an open-ended pause is running. */
  paused: boolean;
  /** While paused and the first-response target not yet reached: its business minutes still left; otherwise null. */
  firstResponsePausedRemainingMinutes: number | null;
  /** While paused and the resolution target not yet reached: its business minutes still left; otherwise null. */
  resolutionPausedRemainingMinutes: number | null;
}

export interface SlaDueInput {
  policy: SlaPolicyTargets;
  /** Null: the clock runs 24/7 in calendar time. */
  hours: BusinessHoursLike | null;
  createdAt: Date;
  pauses?: readonly PauseInterval[];
}

export type SlaState = "ok" | "at_risk" | "breached" | "met" | "none";

/** Elapsed/add operations on epoch milliseconds, in business or calendar time. */
interface Clock {
  between(from: number, to: number): number;
  add(from: number, amount: number): number;
}

function clockFor(hours: BusinessHoursLike | null): Clock {
  if (hours === null) return { between: (a, b) => Math.max(0, b - a), add: (a, n) => a + n };
  const cal = businessCalendar(hours);
  return { between: (a, b) => cal.businessMsBetween(a, b), add: (a, n) => cal.addBusinessMs(a, n) };
}

interface Pause {
  from: number;
  to: number | null;
}

function time(d: Date, name: string): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`"${name}" is not a valid date.`);
  return t;
}

/**
 * Pauses clipped to start no earlier than `start`, sorted, overlapping/touching ones merged; an
 * open-ended pause swallows everything after its start. Empty or inverted pauses are ignored.
 */
export function normalizePauses(pauses: readonly PauseInterval[], start: Date): { from: Date; to: Date | null }[] {
  return mergePauses(pauses, time(start, "start")).map((p) => ({ from: new Date(p.from), to: p.to === null ? null : new Date(p.to) }));
}

function mergePauses(pauses: readonly PauseInterval[], start: number): Pause[] {
  const list = pauses
    .map((p) => ({ from: Math.max(time(p.from, "pause.from"), start), to: p.to === null ? null : time(p.to, "pause.to") }))
    .filter((p) => p.to === null || p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const out: Pause[] = [];
  for (const p of list) {
    const last = out[out.length - 1];
    if (last && (last.to === null || p.from <= last.to)) {
      if (last.to !== null) last.to = p.to === null ? null : Math.max(last.to, p.to);
    } else {
      out.push({ ...p });
    }
  }
  return out;
}

/** When `amount` ms of unpaused clock time have elapsed since `start`; null + remaining when an open pause stops it first. */
function solve(clock: Clock, start: number, pauses: readonly Pause[], amount: number): { at: number | null; remaining: number | null } {
  let cursor = start;
  let remaining = amount;
  for (const p of pauses) {
    const available = clock.between(cursor, p.from);
    if (available > 0 && remaining <= available) return { at: clock.add(cursor, remaining), remaining: null };
    remaining -= available;
    if (p.to === null) return { at: null, remaining };
    cursor = p.to;
  }
  return { at: clock.add(cursor, remaining), remaining: null };
}

function targetMs(minutes: number | null | undefined, name: string): number | null {
  if (minutes === null || minutes === undefined) return null;
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`${name} must be a finite number ≥ 0 (got ${minutes}).`);
  return Math.round(minutes * MINUTE_MS);
}

/**
 * Due and warning times for the policy's targets. A target that is null/undefined gives null
 * times. See the module comment for how pauses — and a pause still running — are handled.
 * Throws NoBusinessTimeError when the business hours have no open time (see business-hours.ts).
 */
export function computeSlaDueTimes({ policy, hours, createdAt, pauses = [] }: SlaDueInput): SlaDueTimes {
  const clock = clockFor(hours);
  const start = time(createdAt, "createdAt");
  const merged = mergePauses(pauses, start);
  const pct = policy.warnAtPercent;
  const warns = Number.isFinite(pct) && pct > 0 && pct < 100;

  const target = (minutes: number | null | undefined, name: string) => {
    const ms = targetMs(minutes, name);
    if (ms === null) return { dueAt: null, warnAt: null, remaining: null };
    const due = solve(clock, start, merged, ms);
    const warn = warns ? solve(clock, start, merged, Math.round((ms * pct) / 100)) : null;
    return {
      dueAt: due.at === null ? null : new Date(due.at),
      warnAt: warn === null || warn.at === null ? null : new Date(warn.at),
      remaining: due.remaining === null ? null : due.remaining / MINUTE_MS,
    };
  };

  const fr = target(policy.firstResponseMinutes, "firstResponseMinutes");
  const res = target(policy.resolutionMinutes, "resolutionMinutes");
  return {
    firstResponseDueAt: fr.dueAt,
    firstResponseWarnAt: fr.warnAt,
    resolutionDueAt: res.dueAt,
    resolutionWarnAt: res.warnAt,
    paused: merged.some((p) => p.to === null),
    firstResponsePausedRemainingMinutes: fr.remaining,
    resolutionPausedRemainingMinutes: res.remaining,
  };
}

/**
 * Unpaused business minutes (calendar minutes when `hours` is null) in [start, now); a pause
 * still running counts as paused until `now`. Fractional (millisecond resolution); 0 when now ≤ start.
 */
export function elapsedBusinessMinutes(hours: BusinessHoursLike | null, start: Date, now: Date, pauses: readonly PauseInterval[] = []): number {
  const clock = clockFor(hours);
  const s = time(start, "start");
  const n = time(now, "now");
  if (n <= s) return 0;
  let total = clock.between(s, n);
  for (const p of mergePauses(pauses, s)) {
    if (p.from >= n) break;
    total -= clock.between(p.from, Math.min(p.to ?? n, n));
  }
  return Math.max(0, total) / MINUTE_MS;
}

/**
 * The state of one SLA target.
 * - `doneAt` set (responded / resolved): "met" when done no later than `dueAt`, else "breached";
 *   with no `dueAt`: "met" when `paused` (the frozen clock had not run out), else "none".
 * - Not done: "breached" once `now` is after `dueAt` (the due instant itself still counts as in
 *   time), "at_risk" from `warnAt` on, otherwise "ok". With no `dueAt`: "none", unless `paused`
 *   (target undetermined while paused) → "at_risk" when `warnAt` has passed, else "ok".
 */
export function slaState({ dueAt, warnAt, doneAt, now, paused = false }: { dueAt: Date | null; warnAt: Date | null; doneAt: Date | null; now: Date; paused?: boolean }): SlaState {
  if (doneAt) {
    if (dueAt) return doneAt.getTime() <= dueAt.getTime() ? "met" : "breached";
    return paused ? "met" : "none";
  }
  if (!dueAt && !paused) return "none";
  if (dueAt && now.getTime() > dueAt.getTime()) return "breached";
  if (warnAt && now.getTime() >= warnAt.getTime()) return "at_risk";
  return "ok";
}
