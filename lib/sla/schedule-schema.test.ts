import { describe, expect, it } from "vitest";
import {
  InvalidBusinessHoursError,
  businessHoursSchema,
  intervalMinutes,
  isCalendarDate,
  isValidTimeZone,
  parseBusinessHours,
  parseTimeOfDay,
} from "./schedule-schema";

const base = { timezone: "Europe/Istanbul", schedule: { mon: [["09:00", "17:00"]] } };

/** All issue messages for an input, joined (so a test can match one of them). */
function problems(input: unknown): string {
  const r = businessHoursSchema.safeParse(input);
  return r.success ? "" : r.error.issues.map((i) => i.message).join("\n");
}

describe("business hours schema", () => {
  it("accepts split shifts, overnight shifts, 24:00 and holidays; holidays default to []", () => {
    const ok = parseBusinessHours({
      timezone: "America/New_York",
      schedule: {
        mon: [["09:00", "12:00"], ["12:00", "13:00"], ["14:00", "18:00"]], // touching is not overlapping
        fri: [["22:00", "06:00"]],
        sat: [["06:00", "24:00"]], // starts exactly when Friday's overnight shift ends
      },
      holidays: [{ date: "2026-12-25", recurring: true, name: "Christmas" }, { date: "2024-02-29" }],
    });
    expect(ok.schedule.fri).toEqual([["22:00", "06:00"]]);
    expect(ok.holidays).toHaveLength(2);
    expect(parseBusinessHours(base).holidays).toEqual([]);
  });

  it("ignores extra row fields (a BusinessHours database row can be passed as is)", () => {
    const row = { id: "bh_1", name: "Support", createdAt: new Date(), ...base, holidays: [] };
    expect(parseBusinessHours(row)).toEqual({ ...base, holidays: [] });
  });

  it.each([
    ["9:00", "17:00", /Start time "9:00" must be in the form HH:MM/],
    ["25:00", "26:00", /Start time "25:00"/],
    ["09:60", "17:00", /Start time "09:60"/],
    ["24:00", "06:00", /Start time "24:00"/],
    ["09:00", "24:01", /End time "24:01" must be in the form HH:MM \(00:00–24:00\)/],
    ["09:00", "5pm", /End time "5pm"/],
    ["09:00", "09:00", /interval 09:00–09:00 is empty/],
    ["00:00", "00:00", /use \["00:00", "24:00"\] for a whole day/],
  ])("rejects the malformed interval [%s, %s]", (s, e, message) => {
    expect(problems({ ...base, schedule: { mon: [[s, e]] } })).toMatch(message);
  });

  it("rejects intervals that are not pairs", () => {
    expect(problems({ ...base, schedule: { mon: [["09:00"]] } })).not.toBe("");
    expect(problems({ ...base, schedule: { mon: [["09:00", "10:00", "11:00"]] } })).not.toBe("");
  });

  it("rejects overlapping intervals within a day, naming both", () => {
    expect(problems({ ...base, schedule: { tue: [["13:00", "18:00"], ["09:00", "13:30"]] } })).toMatch(
      /13:00–18:00 overlaps 09:00–13:30 on the same day/,
    );
    // An overnight shift occupies 22:00–30:00 of its day, so 23:00–23:30 lies inside it.
    expect(problems({ ...base, schedule: { tue: [["22:00", "06:00"], ["23:00", "23:30"]] } })).toMatch(/overlaps/);
    // …but 01:00–05:00 of the same day is before it.
    expect(problems({ ...base, schedule: { tue: [["22:00", "06:00"], ["01:00", "05:00"]] } })).toBe("");
  });

  it("rejects a day that overlaps the previous day's overnight shift (also Sunday → Monday)", () => {
    expect(problems({ ...base, schedule: { mon: [["22:00", "06:00"]], tue: [["05:00", "12:00"]] } })).toMatch(
      /Tuesday 05:00–12:00 overlaps the overnight shift 22:00–06:00 that starts on Monday/,
    );
    expect(problems({ ...base, schedule: { sun: [["20:00", "02:00"]], mon: [["01:00", "03:00"]] } })).toMatch(
      /Monday 01:00–03:00 overlaps the overnight shift 20:00–02:00 that starts on Sunday/,
    );
  });

  it("rejects unknown day keys instead of silently dropping them", () => {
    expect(problems({ ...base, schedule: { monday: [["09:00", "17:00"]] } })).toMatch(/Unknown day "monday"/);
  });

  it("rejects a schedule without any open time", () => {
    expect(problems({ ...base, schedule: {} })).toMatch(/no open hours/);
    expect(problems({ ...base, schedule: { mon: [], tue: [] } })).toMatch(/no open hours/);
  });

  it("validates the time zone with Intl", () => {
    expect(problems({ ...base, timezone: "Mars/Olympus_Mons" })).toMatch(/"Mars\/Olympus_Mons" is not a known time zone/);
    expect(problems({ ...base, timezone: "" })).toMatch(/Choose a time zone/);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("Nowhere/Special")).toBe(false);
  });

  it("validates holiday dates as real calendar dates", () => {
    expect(problems({ ...base, holidays: [{ date: "2026-02-30" }] })).toMatch(/Holiday date "2026-02-30" must be a calendar date/);
    expect(problems({ ...base, holidays: [{ date: "2026-1-5" }] })).toMatch(/Holiday date "2026-1-5"/);
    expect(problems({ ...base, holidays: [{ date: "2026-12-25", recurring: "yes" }] })).not.toBe("");
    expect(isCalendarDate("2024-02-29")).toBe(true); // leap year
    expect(isCalendarDate("2025-02-29")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("0099-12-31")).toBe(true);
  });

  it("throws InvalidBusinessHoursError listing every problem", () => {
    let caught: unknown;
    try {
      parseBusinessHours({ timezone: "Bad/Zone", schedule: { mon: [["9", "17:00"]] } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidBusinessHoursError);
    const err = caught as InvalidBusinessHoursError;
    expect(err.message).toMatch(/Invalid business hours/);
    expect(err.message).toMatch(/Bad\/Zone/);
    expect(err.message).toMatch(/Start time "9"/);
    expect(err.issues.length).toBeGreaterThanOrEqual(2);
  });

  it("converts times and intervals to minutes", () => {
    expect(parseTimeOfDay("00:00")).toBe(0);
    expect(parseTimeOfDay("09:30")).toBe(570); // 9·60 + 30
    expect(parseTimeOfDay("24:00")).toBe(1440);
    expect(() => parseTimeOfDay("24:30")).toThrow(RangeError);
    expect(intervalMinutes(["09:00", "17:00"])).toEqual([540, 1020]);
    expect(intervalMinutes(["22:00", "06:00"])).toEqual([1320, 1800]); // 06:00 next day = 1440 + 360
    expect(intervalMinutes(["00:00", "24:00"])).toEqual([0, 1440]);
  });
});
