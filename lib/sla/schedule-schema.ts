/**
 * Business hours as stored in the database (BusinessHours.timezone / .schedule /
 * .holidays) and accepted from the admin UI:
 *
 *   {
 *     timezone: "Europe/Istanbul",                      // IANA name
 *     schedule: {                                       // missing day = closed
 *       mon: [["09:00", "12:00"], ["13:00", "18:00"]],  // split shift
 *       fri: [["22:00", "06:00"]],                      // overnight: ends 06:00 on Saturday
 *       sat: [["00:00", "24:00"]],                      // whole day
 *     },
 *     holidays: [{ date: "2026-12-25", recurring: true, name: "Christmas" }],
 *   }
 *
 * Rules (each rejected with a sentence naming the day and the interval):
 * - times are "HH:MM" (00:00–23:59); an end may also be "24:00" (midnight at the end of the day);
 * - an interval whose end is before its start is an overnight shift that runs into the next
 *   day; it belongs to the day it starts on (a holiday on that day cancels it);
 * - start = end is refused (use ["00:00", "24:00"] for a whole day);
 * - intervals of one day must not overlap (touching is fine: ["09:00","12:00"],["12:00","13:00"]),
 *   nor may a day's intervals overlap the overnight shift coming from the previous day;
 * - the week must contain some open time;
 * - holidays are real calendar dates "YYYY-MM-DD"; `recurring: true` repeats the month/day every
 *   year (a recurring 29 February only applies in leap years).
 */
import { z } from "zod";

/** Day keys in JavaScript `getDay()` order (0 = Sunday). */
export const DAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type DayKey = (typeof DAY_KEYS)[number];

const DAY_NAMES: Record<DayKey, string> = {
  sun: "Sunday",
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
};

const MINUTES_PER_DAY = 24 * 60;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const validZones = new Map<string, boolean>();

/** True when `Intl` knows the time zone (IANA names such as "America/New_York", and "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  // Checked whenever stored hours are read (every ticket change under an SLA); building a
  // formatter is costly and the answer for a name never changes while the process runs.
  const known = validZones.get(timeZone);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    ok = true;
  } catch {
    ok = false;
  }
  if (validZones.size < 1000) validZones.set(timeZone, ok);
  return ok;
}

/** "HH:MM" → minutes after midnight; "24:00" → 1440. Throws on anything else. */
export function parseTimeOfDay(value: string): number {
  if (value === "24:00") return MINUTES_PER_DAY;
  const m = TIME_RE.exec(value);
  if (!m) throw new RangeError(`"${value}" is not a time of day in the form HH:MM.`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * An interval as minutes relative to the start of the day it belongs to: end > start always;
 * an overnight shift has end > 1440 (e.g. ["22:00","06:00"] → [1320, 1800]).
 */
export function intervalMinutes([start, end]: readonly [string, string]): [number, number] {
  const s = parseTimeOfDay(start);
  let e = parseTimeOfDay(end);
  if (e <= s) e += MINUTES_PER_DAY;
  return [s, e];
}

/** True for a real calendar date written "YYYY-MM-DD" (so 2026-02-30 is refused). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(2000, mo - 1, d));
  dt.setUTCFullYear(y);
  return dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, { error: "Choose a time zone." })
  .refine(isValidTimeZone, { error: (iss) => `"${String(iss.input)}" is not a known time zone (use an IANA name such as "Europe/Istanbul").` });

const startTimeSchema = z.string().regex(TIME_RE, { error: (iss) => `Start time "${String(iss.input)}" must be in the form HH:MM (00:00–23:59).` });
const endTimeSchema = z
  .string()
  .refine((v) => v === "24:00" || TIME_RE.test(v), { error: (iss) => `End time "${String(iss.input)}" must be in the form HH:MM (00:00–24:00).` });

export const timeIntervalSchema = z.tuple([startTimeSchema, endTimeSchema]).refine(([s, e]) => s !== e, {
  error: (iss) => {
    const [s, e] = iss.input as [string, string];
    return `The interval ${s}–${e} is empty; use ["00:00", "24:00"] for a whole day.`;
  },
});

/** Like {@link intervalMinutes} but null for a malformed or empty interval (refinements must not throw). */
function safeIntervalMinutes(iv: readonly [string, string]): [number, number] | null {
  try {
    return iv[0] === iv[1] || iv[0] === "24:00" ? null : intervalMinutes(iv);
  } catch {
    return null;
  }
}

function label([s, e]: readonly [string, string]): string {
  return `${s}–${e}`;
}

export const dayScheduleSchema = z
  .array(timeIntervalSchema)
  .max(24, { error: "At most 24 intervals per day." })
  .superRefine((intervals, ctx) => {
    const parsed = intervals.flatMap((iv, index) => {
      const m = safeIntervalMinutes(iv);
      return m ? [{ iv, index, m }] : [];
    });
    parsed.sort((a, b) => a.m[0] - b.m[0]);
    for (let i = 1; i < parsed.length; i++) {
      const prev = parsed[i - 1]!;
      const cur = parsed[i]!;
      if (cur.m[0] < prev.m[1]) {
        ctx.addIssue({
          code: "custom",
          path: [cur.index],
          message: `The interval ${label(cur.iv)} overlaps ${label(prev.iv)} on the same day.`,
        });
      }
    }
  });

const dayShape = Object.fromEntries(DAY_KEYS.map((k) => [k, dayScheduleSchema.optional()])) as {
  [K in DayKey]: z.ZodOptional<typeof dayScheduleSchema>;
};

export const weeklyScheduleSchema = z
  .strictObject(dayShape, { error: (iss) => (iss.code === "unrecognized_keys" ? `Unknown day ${iss.keys.map((k) => `"${k}"`).join(", ")}; use mon, tue, wed, thu, fri, sat, sun.` : undefined) })
  .superRefine((schedule, ctx) => {
    let open = false;
    for (let d = 0; d < 7; d++) {
      const key = DAY_KEYS[d]!;
      const prevKey = DAY_KEYS[(d + 6) % 7]!;
      const today = schedule[key] ?? [];
      if (today.length > 0) open = true;
      // Overnight shifts of the previous day spill into this day's first hours.
      for (const prev of schedule[prevKey] ?? []) {
        const pe = safeIntervalMinutes(prev)?.[1] ?? 0;
        if (pe <= MINUTES_PER_DAY) continue;
        const spillEnd = pe - MINUTES_PER_DAY;
        today.forEach((iv, index) => {
          const s = safeIntervalMinutes(iv)?.[0];
          if (s !== undefined && s < spillEnd) {
            ctx.addIssue({
              code: "custom",
              path: [key, index],
              message: `${DAY_NAMES[key]} ${label(iv)} overlaps the overnight shift ${label(prev)} that starts on ${DAY_NAMES[prevKey]}.`,
            });
          }
        });
      }
    }
    if (!open) ctx.addIssue({ code: "custom", path: [], message: "The schedule has no open hours; add at least one interval." });
  });

export const holidaySchema = z.object({
  date: z.string().refine(isCalendarDate, { error: (iss) => `Holiday date "${String(iss.input)}" must be a calendar date in the form YYYY-MM-DD.` }),
  recurring: z.boolean().optional(),
  name: z.string().trim().max(100, { error: "A holiday name can be at most 100 characters." }).optional(),
});

export const holidaysSchema = z.array(holidaySchema).max(1000, { error: "At most 1000 holidays." });

export const businessHoursSchema = z.object({
  timezone: timeZoneSchema,
  schedule: weeklyScheduleSchema,
  holidays: holidaysSchema.default([]),
});

export type TimeInterval = [string, string];
export type WeeklySchedule = z.output<typeof weeklyScheduleSchema>;
export type Holiday = z.output<typeof holidaySchema>;
/** Validated business hours (holidays always present). */
export type BusinessHours = z.output<typeof businessHoursSchema>;
/** What the schema accepts (holidays may be omitted). */
export type BusinessHoursInput = z.input<typeof businessHoursSchema>;

/** Thrown by {@link parseBusinessHours} with every problem as one readable message. */
export class InvalidBusinessHoursError extends Error {
  constructor(
    message: string,
    public readonly issues: z.core.$ZodIssue[],
  ) {
    super(message);
    this.name = "InvalidBusinessHoursError";
  }
}

/**
 * Validates business hours (e.g. a database row: extra fields such as id/name are ignored).
 * Throws {@link InvalidBusinessHoursError} listing every problem.
 */
export function parseBusinessHours(input: unknown): BusinessHours {
  const r = businessHoursSchema.safeParse(input);
  if (r.success) return r.data;
  throw new InvalidBusinessHoursError(`Invalid business hours:\n${z.prettifyError(r.error)}`, r.error.issues);
}
