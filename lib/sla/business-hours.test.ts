import { describe, expect, it } from "vitest";
import {
  BusinessCalendar,
  NoBusinessTimeError,
  addBusinessMinutes,
  businessCalendarOf,
  businessMinutesBetween,
  isOpen,
  nextClosing,
  nextOpening,
} from "./business-hours";
import { type BusinessHoursInput } from "./schedule-schema";
import { prng } from "@/lib/seed/prng";

// Calendar facts used below (2026): Jan 1 is a Thursday, so Jan 5 and Jan 12 are Mondays;
// Jul 17 is a Friday and Aug 10 a Monday. US DST: Sun Mar 8 02:00 EST → 03:00 EDT
// (07:00Z) and Sun Nov 1 02:00 EDT → 01:00 EST (06:00Z). Istanbul is UTC+3 all year
// (no DST since 2016), so "+03:00" literals below are Istanbul wall times.
const d = (s: string) => new Date(s);
const iso = (x: Date | null) => x?.toISOString() ?? null;

const WEEKDAYS_9_17 = { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]] } satisfies BusinessHoursInput["schedule"];
const ALL_DAY = [["00:00", "24:00"]] as [string, string][];
const EVERY_DAY_24H = { sun: ALL_DAY, mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY };

const istanbulOffice = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: WEEKDAYS_9_17 });

describe("split shifts (Istanbul, Monday 09:00–12:00 and 13:00–18:00)", () => {
  const cal = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: { mon: [["09:00", "12:00"], ["13:00", "18:00"]] } });

  it("is open inside either shift and closed over lunch", () => {
    expect(cal.isOpen(d("2026-01-05T08:59:59.999+03:00"))).toBe(false);
    expect(cal.isOpen(d("2026-01-05T09:00:00+03:00"))).toBe(true); // opening instant: open
    expect(cal.isOpen(d("2026-01-05T11:59:59.999+03:00"))).toBe(true);
    expect(cal.isOpen(d("2026-01-05T12:00:00+03:00"))).toBe(false); // closing instant: closed
    expect(cal.isOpen(d("2026-01-05T12:30:00+03:00"))).toBe(false);
    expect(cal.isOpen(d("2026-01-05T13:00:00+03:00"))).toBe(true);
    expect(cal.isOpen(d("2026-01-05T18:00:00+03:00"))).toBe(false);
  });

  it("adds minutes across the lunch break", () => {
    // 11:00 + 120: 11:00–12:00 uses 60, lunch is skipped, 13:00 + 60 = 14:00.
    expect(iso(cal.addBusinessMinutes(d("2026-01-05T11:00:00+03:00"), 120))).toBe(iso(d("2026-01-05T14:00:00+03:00")));
    // 11:00 + 60 ends exactly at the 12:00 closing instant (not at the 13:00 reopening).
    expect(iso(cal.addBusinessMinutes(d("2026-01-05T11:00:00+03:00"), 60))).toBe(iso(d("2026-01-05T12:00:00+03:00")));
  });

  it("counts both shifts between two instants", () => {
    // 08:00–19:00 covers 09–12 (180) and 13–18 (300) = 480.
    expect(cal.businessMinutesBetween(d("2026-01-05T08:00:00+03:00"), d("2026-01-05T19:00:00+03:00"))).toBe(480);
    // 11:30–13:30: 30 + 30 = 60.
    expect(cal.businessMinutesBetween(d("2026-01-05T11:30:00+03:00"), d("2026-01-05T13:30:00+03:00"))).toBe(60);
  });

  it("finds the next opening and closing", () => {
    expect(iso(cal.nextOpening(d("2026-01-05T12:30:00+03:00")))).toBe(iso(d("2026-01-05T13:00:00+03:00")));
    expect(iso(cal.nextOpening(d("2026-01-05T10:00:00+03:00")))).toBe(iso(d("2026-01-05T10:00:00+03:00"))); // open: now
    expect(iso(cal.nextClosing(d("2026-01-05T10:00:00+03:00")))).toBe(iso(d("2026-01-05T12:00:00+03:00")));
    expect(iso(cal.nextClosing(d("2026-01-05T12:30:00+03:00")))).toBe(iso(d("2026-01-05T18:00:00+03:00")));
    // After Monday 18:00 the next opening is the following Monday 09:00.
    expect(iso(cal.nextOpening(d("2026-01-05T18:00:00+03:00")))).toBe(iso(d("2026-01-12T09:00:00+03:00")));
  });
});

describe("weekends, start outside hours and exact boundaries (Istanbul, Mon–Fri 09:00–17:00)", () => {
  const cal = istanbulOffice;

  it("skips the weekend", () => {
    // Fri 16:00 + 120: Fri 16–17 (60), Sat/Sun closed, Mon 09:00 + 60 = Mon 10:00.
    expect(iso(cal.addBusinessMinutes(d("2026-01-09T16:00:00+03:00"), 120))).toBe(iso(d("2026-01-12T10:00:00+03:00")));
    expect(cal.businessMinutesBetween(d("2026-01-09T16:00:00+03:00"), d("2026-01-12T10:00:00+03:00"))).toBe(120);
    // A whole week Mon 00:00 → next Mon 00:00 = 5 × 480 = 2400.
    expect(cal.businessMinutesBetween(d("2026-01-05T00:00:00+03:00"), d("2026-01-12T00:00:00+03:00"))).toBe(2400);
  });

  it("starts the clock at the next opening when the start is outside hours", () => {
    // Saturday noon + 30 → Monday 09:30.
    expect(iso(cal.addBusinessMinutes(d("2026-01-10T12:00:00+03:00"), 30))).toBe(iso(d("2026-01-12T09:30:00+03:00")));
    // Monday 07:00 + 30 → Monday 09:30; 0 minutes gives the opening itself.
    expect(iso(cal.addBusinessMinutes(d("2026-01-12T07:00:00+03:00"), 30))).toBe(iso(d("2026-01-12T09:30:00+03:00")));
    expect(iso(cal.addBusinessMinutes(d("2026-01-10T12:00:00+03:00"), 0))).toBe(iso(d("2026-01-12T09:00:00+03:00")));
  });

  it("treats the opening instant as open and the closing instant as closed", () => {
    expect(isOpen(cal, d("2026-01-09T09:00:00+03:00"))).toBe(true);
    expect(isOpen(cal, d("2026-01-09T17:00:00+03:00"))).toBe(false);
    expect(isOpen(cal, d("2026-01-09T16:59:59.999+03:00"))).toBe(true);
    // Fri 16:00 + 60 ends at Fri 17:00 exactly; adding 0 at the closing instant waits for Monday.
    expect(iso(cal.addBusinessMinutes(d("2026-01-09T16:00:00+03:00"), 60))).toBe(iso(d("2026-01-09T17:00:00+03:00")));
    expect(iso(cal.addBusinessMinutes(d("2026-01-09T17:00:00+03:00"), 0))).toBe(iso(d("2026-01-12T09:00:00+03:00")));
    // Between two instants of the same closed period: 0; reversed or equal bounds: 0.
    expect(cal.businessMinutesBetween(d("2026-01-09T17:00:00+03:00"), d("2026-01-12T09:00:00+03:00"))).toBe(0);
    expect(cal.businessMinutesBetween(d("2026-01-09T12:00:00+03:00"), d("2026-01-09T10:00:00+03:00"))).toBe(0);
    expect(cal.businessMinutesBetween(d("2026-01-09T12:00:00+03:00"), d("2026-01-09T12:00:00+03:00"))).toBe(0);
  });

  it("returns fractional minutes with millisecond precision", () => {
    // 10:00:00 → 10:01:30.500 = 90.5 s = 1.508333… minutes.
    expect(cal.businessMinutesBetween(d("2026-01-09T10:00:00+03:00"), d("2026-01-09T10:01:30.500+03:00"))).toBeCloseTo(90.5 / 60, 12);
    // 1.5 minutes = 90 s.
    expect(iso(cal.addBusinessMinutes(d("2026-01-09T10:00:00+03:00"), 1.5))).toBe(iso(d("2026-01-09T10:01:30+03:00")));
  });

  it("adds 30 days of business minutes per interval, not per minute", () => {
    // 43 200 minutes = 720 h at 40 h/week (Mon–Fri 8 h) = 18 weeks exactly. From Mon Jan 5 09:00, 18 weeks
    // of business time end at the close of Friday in week 18: Jan 5 + 17 weeks + 4 days = Fri May 8, 17:00.
    const r = cal.addBusinessMinutes(d("2026-01-05T09:00:00+03:00"), 30 * 24 * 60);
    expect(iso(r)).toBe(iso(d("2026-05-08T17:00:00+03:00")));
    expect(cal.businessMinutesBetween(d("2026-01-05T09:00:00+03:00"), r)).toBe(43_200);
  });

  it("accepts plain business hours as well as a calendar, and rejects bad input", () => {
    const hours = { timezone: "Europe/Istanbul", schedule: WEEKDAYS_9_17 };
    expect(iso(addBusinessMinutes(hours, d("2026-01-09T16:00:00+03:00"), 120))).toBe(iso(d("2026-01-12T10:00:00+03:00")));
    expect(businessMinutesBetween(hours, d("2026-01-09T16:00:00+03:00"), d("2026-01-12T10:00:00+03:00"))).toBe(120);
    expect(iso(nextOpening(hours, d("2026-01-10T00:00:00+03:00")))).toBe(iso(d("2026-01-12T09:00:00+03:00")));
    expect(iso(nextClosing(hours, d("2026-01-10T00:00:00+03:00")))).toBe(iso(d("2026-01-12T17:00:00+03:00")));
    expect(() => addBusinessMinutes(hours, d("2026-01-09T16:00:00+03:00"), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(hours, d("2026-01-09T16:00:00+03:00"), Number.NaN)).toThrow(RangeError);
    expect(() => isOpen(hours, new Date(Number.NaN))).toThrow(/not a valid date/);
    expect(() => isOpen({ timezone: "Nope/Nope", schedule: WEEKDAYS_9_17 }, d("2026-01-09T10:00:00Z"))).toThrow(/not a known time zone/);
  });

  it("merges touching intervals into one open period (24:00 followed by 00:00)", () => {
    const cal2 = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: { fri: [["18:00", "24:00"]], sat: ALL_DAY, sun: [["00:00", "12:00"]] } });
    // Fri 18:00 → Sun 12:00 is one period of 6 + 24 + 12 = 42 h.
    expect(iso(cal2.nextClosing(d("2026-01-09T20:00:00+03:00")))).toBe(iso(d("2026-01-11T12:00:00+03:00")));
    expect(cal2.isOpen(d("2026-01-10T00:00:00+03:00"))).toBe(true); // the 24:00/00:00 seam is open
    expect(cal2.openPeriods(d("2026-01-09T00:00:00+03:00"), d("2026-01-12T00:00:00+03:00"))).toEqual([
      { start: d("2026-01-09T18:00:00+03:00"), end: d("2026-01-11T12:00:00+03:00") },
    ]);
  });
});

describe("holidays", () => {
  it("closes a single day", () => {
    const cal = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: WEEKDAYS_9_17, holidays: [{ date: "2026-01-06", name: "Company day" }] });
    expect(cal.isOpen(d("2026-01-06T10:00:00+03:00"))).toBe(false);
    // Mon 16:00 + 120: Mon 16–17 (60), Tue is a holiday, Wed 09:00 + 60 = Wed 10:00.
    expect(iso(cal.addBusinessMinutes(d("2026-01-05T16:00:00+03:00"), 120))).toBe(iso(d("2026-01-07T10:00:00+03:00")));
    // Mon 00:00 → Sat 00:00: 5 weekdays − 1 holiday = 4 × 480 = 1920.
    expect(cal.businessMinutesBetween(d("2026-01-05T00:00:00+03:00"), d("2026-01-10T00:00:00+03:00"))).toBe(1920);
    expect(iso(cal.nextOpening(d("2026-01-05T17:00:00+03:00")))).toBe(iso(d("2026-01-07T09:00:00+03:00")));
  });

  it("repeats a recurring holiday every year; a one-off holiday does not repeat", () => {
    const cal = new BusinessCalendar({
      timezone: "Europe/Istanbul",
      schedule: WEEKDAYS_9_17,
      holidays: [
        { date: "2019-01-01", recurring: true, name: "New Year" },
        { date: "2025-01-02", name: "Bridge day 2025 only" },
      ],
    });
    // 2026-01-01 (Thu) closed via the 2019 recurring entry; 2026-01-02 (Fri) open: 1 × 480.
    expect(cal.businessMinutesBetween(d("2026-01-01T00:00:00+03:00"), d("2026-01-03T00:00:00+03:00"))).toBe(480);
    expect(cal.isOpen(d("2026-01-01T10:00:00+03:00"))).toBe(false);
    expect(cal.isOpen(d("2026-01-02T10:00:00+03:00"))).toBe(true);
    expect(cal.isOpen(d("2030-01-01T10:00:00+03:00"))).toBe(false); // Tuesday, still a holiday
    expect(cal.isOpen(d("2025-01-02T10:00:00+03:00"))).toBe(false); // the one-off
  });

  it("skips a long multi-week holiday", () => {
    // Summer closure Mon Jul 20 – Sun Aug 9 2026 (21 days).
    const holidays = Array.from({ length: 21 }, (_, i) => ({ date: new Date(Date.UTC(2026, 6, 20 + i)).toISOString().slice(0, 10) }));
    const cal = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: WEEKDAYS_9_17, holidays });
    // Fri Jul 17 16:00 + 120: 60 on Friday, then nothing until Mon Aug 10 09:00 + 60 = 10:00.
    expect(iso(cal.addBusinessMinutes(d("2026-07-17T16:00:00+03:00"), 120))).toBe(iso(d("2026-08-10T10:00:00+03:00")));
    expect(cal.businessMinutesBetween(d("2026-07-18T00:00:00+03:00"), d("2026-08-10T00:00:00+03:00"))).toBe(0);
    expect(iso(cal.nextOpening(d("2026-07-20T08:00:00+03:00")))).toBe(iso(d("2026-08-10T09:00:00+03:00")));
  });

  it("interprets the holiday date in the schedule's time zone", () => {
    // New York, open 24 h; 2026-01-06 is a holiday from 05:00Z Jan 6 to 05:00Z Jan 7 (EST = UTC−5).
    const cal = new BusinessCalendar({ timezone: "America/New_York", schedule: EVERY_DAY_24H, holidays: [{ date: "2026-01-06" }] });
    expect(cal.isOpen(d("2026-01-06T03:00:00Z"))).toBe(true); // Jan 5, 22:00 local
    expect(cal.isOpen(d("2026-01-06T05:00:00Z"))).toBe(false); // Jan 6, 00:00 local
    expect(cal.isOpen(d("2026-01-07T04:59:59.999Z"))).toBe(false); // Jan 6, 23:59:59.999 local
    expect(cal.isOpen(d("2026-01-07T05:00:00Z"))).toBe(true); // Jan 7, 00:00 local
    expect(iso(cal.nextClosing(d("2026-01-05T12:00:00Z")))).toBe("2026-01-06T05:00:00.000Z");
    expect(iso(cal.nextOpening(d("2026-01-06T12:00:00Z")))).toBe("2026-01-07T05:00:00.000Z");
  });
});

describe("overnight shifts (Istanbul night desk, Mon–Fri 22:00–06:00)", () => {
  const night = { mon: [["22:00", "06:00"]], tue: [["22:00", "06:00"]], wed: [["22:00", "06:00"]], thu: [["22:00", "06:00"]], fri: [["22:00", "06:00"]] } as BusinessHoursInput["schedule"];
  const cal = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: night });

  it("belongs to the day it starts on and runs into the next day", () => {
    expect(cal.isOpen(d("2026-01-09T23:00:00+03:00"))).toBe(true); // Fri 23:00
    expect(cal.isOpen(d("2026-01-10T05:59:00+03:00"))).toBe(true); // Sat 05:59, Friday's shift
    expect(cal.isOpen(d("2026-01-10T06:00:00+03:00"))).toBe(false); // Sat 06:00 closing instant
    expect(cal.isOpen(d("2026-01-12T01:00:00+03:00"))).toBe(false); // Mon 01:00: Sunday has no shift
    expect(iso(cal.nextClosing(d("2026-01-05T23:00:00+03:00")))).toBe(iso(d("2026-01-06T06:00:00+03:00")));
    // Mon 23:00 + 420 = Mon 23:00–Tue 06:00 exactly.
    expect(iso(cal.addBusinessMinutes(d("2026-01-05T23:00:00+03:00"), 420))).toBe(iso(d("2026-01-06T06:00:00+03:00")));
    // Mon 23:00 + 480: 420 on Monday's shift, then Tue 22:00 + 60 = Tue 23:00.
    expect(iso(cal.addBusinessMinutes(d("2026-01-05T23:00:00+03:00"), 480))).toBe(iso(d("2026-01-06T23:00:00+03:00")));
    // A full week: 5 shifts × 8 h = 2400.
    expect(cal.businessMinutesBetween(d("2026-01-05T00:00:00+03:00"), d("2026-01-12T00:00:00+03:00"))).toBe(2400);
  });

  it("a holiday cancels the shift starting that day but not the one running into it", () => {
    const withHoliday = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: night, holidays: [{ date: "2026-01-06" }] }); // Tuesday
    // Monday's shift still runs Tue 00:00–06:00; Tuesday's 22:00 shift is cancelled.
    expect(withHoliday.isOpen(d("2026-01-06T03:00:00+03:00"))).toBe(true);
    expect(withHoliday.isOpen(d("2026-01-06T23:00:00+03:00"))).toBe(false);
    // Mon 21:00 → Wed 07:00: only Monday's shift (8 h = 480); Tuesday's would have added 480.
    expect(withHoliday.businessMinutesBetween(d("2026-01-05T21:00:00+03:00"), d("2026-01-07T07:00:00+03:00"))).toBe(480);
    // Mon 23:00 + 480: 420 on Monday's shift, Tuesday's is cancelled, Wed 22:00 + 60 = Wed 23:00.
    expect(iso(withHoliday.addBusinessMinutes(d("2026-01-05T23:00:00+03:00"), 480))).toBe(iso(d("2026-01-07T23:00:00+03:00")));
    // A holiday on Monday cancels Mon 22:00–Tue 06:00.
    const monHoliday = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: night, holidays: [{ date: "2026-01-05" }] });
    expect(monHoliday.isOpen(d("2026-01-06T03:00:00+03:00"))).toBe(false);
  });

  it("combines an overnight shift with a day shift of the next day", () => {
    const cal2 = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: { fri: [["22:00", "06:00"]], sat: [["06:00", "10:00"]] } });
    // Fri 22:00 → Sat 10:00 is one continuous period.
    expect(iso(cal2.nextClosing(d("2026-01-09T22:00:00+03:00")))).toBe(iso(d("2026-01-10T10:00:00+03:00")));
    expect(cal2.businessMinutesBetween(d("2026-01-09T00:00:00+03:00"), d("2026-01-11T00:00:00+03:00"))).toBe(720); // 8 h + 4 h
  });
});

describe("time zones and daylight-saving time", () => {
  const ny24 = new BusinessCalendar({ timezone: "America/New_York", schedule: EVERY_DAY_24H });

  it("Istanbul has no DST: every local day of 2026 has 1440 minutes on a 24 h schedule", () => {
    const cal = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: EVERY_DAY_24H });
    // The EU changes clocks on Mar 29 and Oct 25 2026; Istanbul does not.
    expect(cal.businessMinutesBetween(d("2026-03-29T00:00:00+03:00"), d("2026-03-30T00:00:00+03:00"))).toBe(1440);
    expect(cal.businessMinutesBetween(d("2026-10-25T00:00:00+03:00"), d("2026-10-26T00:00:00+03:00"))).toBe(1440);
    // Office hours 09:00 local are 06:00Z in both January and July.
    expect(iso(istanbulOffice.nextOpening(d("2026-01-05T00:00:00Z")))).toBe("2026-01-05T06:00:00.000Z");
    expect(iso(istanbulOffice.nextOpening(d("2026-07-06T00:00:00Z")))).toBe("2026-07-06T06:00:00.000Z");
  });

  it("spring forward (Mar 8 2026): 60 business minutes on a 24 h schedule are 60 real minutes", () => {
    // 01:30 EST = 06:30Z; +60 real minutes = 07:30Z = 03:30 EDT (wall clock moved 2 h).
    expect(iso(ny24.addBusinessMinutes(d("2026-03-08T06:30:00Z"), 60))).toBe("2026-03-08T07:30:00.000Z");
    // The local day Mar 8 (05:00Z → next 04:00Z) has 23 h = 1380 minutes.
    expect(ny24.businessMinutesBetween(d("2026-03-08T05:00:00Z"), d("2026-03-09T04:00:00Z"))).toBe(1380);
  });

  it("fall back (Nov 1 2026): the local day has 25 h", () => {
    // Nov 1 00:00 EDT = 04:00Z → Nov 2 00:00 EST = 05:00Z: 25 h = 1500 minutes.
    expect(ny24.businessMinutesBetween(d("2026-11-01T04:00:00Z"), d("2026-11-02T05:00:00Z"))).toBe(1500);
    // 00:30 EDT (04:30Z) + 120 = 06:30Z = 01:30 EST (the second 01:30).
    expect(iso(ny24.addBusinessMinutes(d("2026-11-01T04:30:00Z"), 120))).toBe("2026-11-01T06:30:00.000Z");
  });

  it("keeps office hours at 09:00 local across the change (UTC shifts by an hour)", () => {
    const cal = new BusinessCalendar({ timezone: "America/New_York", schedule: WEEKDAYS_9_17 });
    // Fri Mar 6 16:00 EST (21:00Z) + 120: 60 until 17:00 EST (22:00Z), then Mon Mar 9 09:00 EDT (13:00Z) + 60 = 14:00Z.
    expect(iso(cal.addBusinessMinutes(d("2026-03-06T21:00:00Z"), 120))).toBe("2026-03-09T14:00:00.000Z");
    // Fri Oct 30 16:00 EDT (20:00Z) + 120: 60 until 21:00Z, Mon Nov 2 09:00 EST (14:00Z) + 60 = 15:00Z.
    expect(iso(cal.addBusinessMinutes(d("2026-10-30T20:00:00Z"), 120))).toBe("2026-11-02T15:00:00.000Z");
  });

  it("an interval spanning the spring-forward gap is shorter, one spanning the fall-back overlap longer", () => {
    const cal = new BusinessCalendar({ timezone: "America/New_York", schedule: { sun: [["01:00", "04:00"]] } });
    // Mar 8: 01:00 EST (06:00Z) → 04:00 EDT (08:00Z) = 120 minutes (3 h on the wall clock).
    expect(cal.businessMinutesBetween(d("2026-03-08T00:00:00Z"), d("2026-03-09T00:00:00Z"))).toBe(120);
    expect(iso(cal.nextOpening(d("2026-03-08T00:00:00Z")))).toBe("2026-03-08T06:00:00.000Z");
    expect(iso(cal.nextClosing(d("2026-03-08T00:00:00Z")))).toBe("2026-03-08T08:00:00.000Z");
    // Nov 1: 01:00 EDT (05:00Z) → 04:00 EST (09:00Z) = 240 minutes.
    expect(cal.businessMinutesBetween(d("2026-11-01T00:00:00Z"), d("2026-11-02T00:00:00Z"))).toBe(240);
    // An ordinary Sunday (Mar 1, EST all day): 180.
    expect(cal.businessMinutesBetween(d("2026-03-01T00:00:00Z"), d("2026-03-02T00:00:00Z"))).toBe(180);
  });

  it("maps wall times inside the gap to the transition and ambiguous ones to their first occurrence", () => {
    // Sunday 02:30–05:00: 02:30 does not exist on Mar 8, so the shift starts at the transition
    // (07:00Z = 03:00 EDT) and runs until 05:00 EDT (09:00Z): 120 minutes.
    const gapStart = new BusinessCalendar({ timezone: "America/New_York", schedule: { sun: [["02:30", "05:00"]] } });
    expect(iso(gapStart.nextOpening(d("2026-03-08T00:00:00Z")))).toBe("2026-03-08T07:00:00.000Z");
    expect(gapStart.businessMinutesBetween(d("2026-03-08T00:00:00Z"), d("2026-03-09T00:00:00Z"))).toBe(120);
    // A shift lying entirely inside the gap (02:15–02:45) vanishes that day: next opening is Mar 15 02:15 EDT (06:15Z).
    const inGap = new BusinessCalendar({ timezone: "America/New_York", schedule: { sun: [["02:15", "02:45"]] } });
    expect(inGap.businessMinutesBetween(d("2026-03-08T00:00:00Z"), d("2026-03-09T00:00:00Z"))).toBe(0);
    expect(iso(inGap.nextOpening(d("2026-03-08T00:00:00Z")))).toBe("2026-03-15T06:15:00.000Z");
    // Nov 1, two adjacent shifts split inside the repeated hour: 00:00–01:30 and 01:30–03:00.
    // 01:30 maps to its first occurrence (EDT, 05:30Z): 04:00Z–05:30Z (90) + 05:30Z–08:00Z (150) = 240,
    // i.e. the 4 real hours from 00:00 EDT to 03:00 EST with no overlap and no hole.
    const split = new BusinessCalendar({ timezone: "America/New_York", schedule: { sun: [["00:00", "01:30"], ["01:30", "03:00"]] } });
    expect(split.businessMinutesBetween(d("2026-11-01T00:00:00Z"), d("2026-11-02T00:00:00Z"))).toBe(240);
    expect(split.isOpen(d("2026-11-01T06:15:00Z"))).toBe(true); // the second 01:15 (EST)
    expect(iso(split.nextClosing(d("2026-11-01T04:00:00Z")))).toBe("2026-11-01T08:00:00.000Z");
  });

  it("handles overnight shifts across a DST change", () => {
    // Saturday 22:00 → Sunday 06:00 in New York: 8 h on the wall clock.
    const cal = new BusinessCalendar({ timezone: "America/New_York", schedule: { sat: [["22:00", "06:00"]] } });
    // Mar 7 22:00 EST (03:00Z Mar 8) → Mar 8 06:00 EDT (10:00Z): 7 h = 420.
    expect(cal.businessMinutesBetween(d("2026-03-07T00:00:00Z"), d("2026-03-09T00:00:00Z"))).toBe(420);
    // Oct 31 22:00 EDT (02:00Z Nov 1) → Nov 1 06:00 EST (11:00Z): 9 h = 540.
    expect(cal.businessMinutesBetween(d("2026-10-31T00:00:00Z"), d("2026-11-02T00:00:00Z"))).toBe(540);
  });
});

describe("no open time and always open", () => {
  // Every day of the year as a recurring holiday (2024 is a leap year, so Feb 29 is included).
  const everyDay = Array.from({ length: 366 }, (_, i) => ({ date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10), recurring: true }));
  const closed = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: WEEKDAYS_9_17, holidays: everyDay });

  it("returns null / 0 / false and throws a clear error instead of looping forever", () => {
    const at = d("2026-01-05T10:00:00+03:00");
    expect(closed.isOpen(at)).toBe(false);
    expect(closed.nextOpening(at)).toBeNull();
    expect(closed.nextClosing(at)).toBeNull();
    expect(closed.businessMinutesBetween(at, d("2030-01-01T00:00:00Z"))).toBe(0);
    expect(() => closed.addBusinessMinutes(at, 60)).toThrow(NoBusinessTimeError);
    expect(() => closed.addBusinessMinutes(at, 60)).toThrow(/no open time within 1098 days/);
  });

  it("throws when the open time runs out after a while (explicit holidays only)", () => {
    // Open Mondays 09:00–10:00 (Istanbul); every Monday of 2026–2030 after Jan 5 2026 is a holiday.
    const mondays = Array.from({ length: 5 * 53 }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 12 + 7 * i)).toISOString().slice(0, 10) }));
    const cal = new BusinessCalendar({ timezone: "Europe/Istanbul", schedule: { mon: [["09:00", "10:00"]] }, holidays: mondays });
    // 30 minutes fit on Jan 5; 90 minutes would need later Mondays, all closed for > 3 years.
    expect(iso(cal.addBusinessMinutes(d("2026-01-05T09:00:00+03:00"), 30))).toBe(iso(d("2026-01-05T09:30:00+03:00")));
    expect(() => cal.addBusinessMinutes(d("2026-01-05T09:00:00+03:00"), 90)).toThrow(NoBusinessTimeError);
    expect(iso(cal.nextClosing(d("2026-01-05T09:00:00+03:00")))).toBe(iso(d("2026-01-05T10:00:00+03:00")));
  });

  it("a 24/7 schedule never closes: nextClosing is null, nextOpening is now", () => {
    const always = new BusinessCalendar({ timezone: "UTC", schedule: EVERY_DAY_24H });
    expect(always.nextClosing(d("2026-01-05T10:00:00Z"))).toBeNull();
    expect(iso(always.nextOpening(d("2026-01-05T10:00:00Z")))).toBe("2026-01-05T10:00:00.000Z");
    // 30 days of minutes on 24/7 UTC = 30 calendar days.
    expect(iso(always.addBusinessMinutes(d("2026-01-05T10:00:00Z"), 30 * 1440))).toBe("2026-02-04T10:00:00.000Z");
  });
});

describe("addBusinessMinutes and businessMinutesBetween are inverses (seeded random samples)", () => {
  const calendars: [string, BusinessCalendar][] = [
    ["Istanbul split shifts + holidays", new BusinessCalendar({
      timezone: "Europe/Istanbul",
      schedule: { mon: [["09:00", "12:00"], ["13:00", "18:00"]], tue: [["08:30", "17:15"]], wed: [["09:00", "12:00"], ["12:30", "13:00"], ["14:00", "20:00"]], fri: [["10:00", "16:00"]] },
      holidays: [{ date: "2026-04-23", recurring: true }, { date: "2026-05-01" }, { date: "2026-03-20" }],
    })],
    ["New York night desk across DST", new BusinessCalendar({
      timezone: "America/New_York",
      schedule: { sat: [["22:00", "01:00"]], sun: [["01:30", "03:30"], ["10:00", "24:00"]], mon: [["06:00", "07:00"], ["23:00", "02:00"]], thu: [["01:00", "02:30"]] },
      holidays: [{ date: "2026-11-26", recurring: true }],
    })],
    ["New York 24/7", new BusinessCalendar({ timezone: "America/New_York", schedule: EVERY_DAY_24H })],
  ];

  it.each(calendars)("%s", (_name, cal) => {
    const rnd = prng(20260308);
    const from0 = Date.UTC(2026, 1, 1); // Feb 1 – Dec 31 2026 covers both DST changes
    const span = Date.UTC(2026, 11, 31) - from0;
    for (let i = 0; i < 300; i++) {
      const start = new Date(from0 + Math.floor(rnd() * span));
      // Whole milliseconds expressed in minutes: up to ~10 days of business time, often fractional.
      const amountMs = Math.floor(rnd() * 10 * 1440 * 60_000);
      const minutes = amountMs / 60_000;
      const end = cal.addBusinessMinutes(start, minutes);
      expect(cal.businessMinutesBetween(start, end)).toBe(minutes);
      expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime());
      if (amountMs > 0) expect(cal.isOpen(new Date(end.getTime() - 1))).toBe(true); // the last counted millisecond was open
      // Monotonic: adding less never ends later.
      const half = cal.addBusinessMinutes(start, Math.floor(amountMs / 2) / 60_000);
      expect(half.getTime()).toBeLessThanOrEqual(end.getTime());
      // The other direction: from an open instant `to`, adding the minutes between gives `to` back.
      const to = new Date(start.getTime() + Math.floor(rnd() * 14 * 86_400_000));
      if (cal.isOpen(to)) expect(cal.addBusinessMinutes(start, cal.businessMinutesBetween(start, to)).getTime()).toBe(to.getTime());
    }
  });

  it.each(calendars)("%s: businessMinutesBetween agrees with isOpen sampled minute by minute", (_name, cal) => {
    const rnd = prng(7);
    for (let i = 0; i < 6; i++) {
      // Whole-minute instants (every schedule here opens/closes on whole minutes in UTC too).
      const fromMin = Math.floor((Date.UTC(2026, 1, 1) + rnd() * 330 * 86_400_000) / 60_000);
      const toMin = fromMin + Math.floor(rnd() * 3 * 1440);
      let open = 0;
      for (let m = fromMin; m < toMin; m++) if (cal.isOpen(new Date(m * 60_000))) open++;
      expect(cal.businessMinutesBetween(new Date(fromMin * 60_000), new Date(toMin * 60_000))).toBe(open);
    }
    // Both DST nights explicitly.
    for (const [a, b] of [["2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"], ["2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"]] as const) {
      let open = 0;
      for (let t = d(a).getTime(); t < d(b).getTime(); t += 60_000) if (cal.isOpen(new Date(t))) open++;
      expect(cal.businessMinutesBetween(d(a), d(b))).toBe(open);
    }
  });
});

describe("calendars of hours read afresh", () => {
  it("are compiled once per content, and hours that cannot be compiled still throw", () => {
    const read = () => JSON.parse(JSON.stringify({ timezone: "Europe/Istanbul", schedule: WEEKDAYS_9_17, holidays: [{ date: "2026-01-01", recurring: true }] })) as BusinessHoursInput;
    const cal = businessCalendarOf(read());
    expect(businessCalendarOf(read())).toBe(cal);
    expect(cal.isOpen(d("2026-01-05T09:00:00+03:00"))).toBe(true);
    expect(cal.isOpen(d("2027-01-01T10:00:00+03:00"))).toBe(false);
    const other = businessCalendarOf({ ...read(), timezone: "America/New_York" });
    expect(other).not.toBe(cal);
    expect(other.isOpen(d("2026-01-05T09:00:00-05:00"))).toBe(true);
    expect(() => businessCalendarOf({ ...read(), timezone: "Nowhere/Atlantis" })).toThrow();
    expect(() => businessCalendarOf({ ...read(), timezone: "Nowhere/Atlantis" })).toThrow();
  });
});
