import { describe, expect, it } from "vitest";
import { BusinessCalendar } from "@/lib/sla/business-hours";
import { BusinessClock } from "@/lib/reports/durations";

describe("BusinessClock", () => {
  it("gives exactly the calendar's business time for any span inside its window, across weekends and holidays", () => {
    const cal = new BusinessCalendar({
      timezone: "Europe/Istanbul",
      schedule: { mon: [["09:00", "12:00"], ["13:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "17:00"]], sat: [["10:00", "14:00"]] },
      holidays: [{ date: "2026-11-19" }],
    });
    const start = Date.parse("2026-11-01T00:00:00Z");
    const end = Date.parse("2026-12-15T00:00:00Z");
    const clock = new BusinessClock(cal, start, end);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const a = start + Math.floor(rnd() * (end - start));
      const b = a + Math.floor(rnd() * 10 * 86400_000);
      if (b > end) continue;
      expect(clock.seconds(new Date(a), new Date(b))).toBeCloseTo(cal.businessMinutesBetween(new Date(a), new Date(b)) * 60, 6);
    }
    // A weekend: Friday 16:00 local to Monday 10:00 local is 1 h + Saturday's 4 h + 1 h.
    expect(clock.seconds(new Date("2026-11-20T13:00:00Z"), new Date("2026-11-23T07:00:00Z"))).toBe(6 * 3600);
  });
});
