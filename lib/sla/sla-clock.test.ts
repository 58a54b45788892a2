import { describe, expect, it } from "vitest";
import { BusinessCalendar, addBusinessMinutes } from "./business-hours";
import { type PauseInterval, computeSlaDueTimes, elapsedBusinessMinutes, normalizePauses, slaState } from "./sla-clock";
import { prng } from "@/lib/seed/prng";

// Istanbul (UTC+3, no DST), Mon–Fri 09:00–18:00 = 540 business minutes a day.
// 2026-01-05 is a Monday; "+03:00" literals are Istanbul wall times.
const d = (s: string) => new Date(s);
const iso = (x: Date | null) => x?.toISOString() ?? null;
const DAY = [["09:00", "18:00"]] as [string, string][];
const hours = { timezone: "Europe/Istanbul", schedule: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY } };
const cal = new BusinessCalendar(hours);
const policy = { firstResponseMinutes: 60, resolutionMinutes: 1080, warnAtPercent: 80 };
const MON_10 = d("2026-01-05T10:00:00+03:00");

describe("SLA due times without pauses", () => {
  it("computes due and 80 % warning times in business time", () => {
    const r = computeSlaDueTimes({ policy, hours, createdAt: MON_10 });
    // First response 60 → Mon 11:00; warn at 48 → Mon 10:48.
    expect(iso(r.firstResponseDueAt)).toBe(iso(d("2026-01-05T11:00:00+03:00")));
    expect(iso(r.firstResponseWarnAt)).toBe(iso(d("2026-01-05T10:48:00+03:00")));
    // Resolution 1080: Mon 10–18 (480) + Tue (540) = 1020, Wed 09:00 + 60 → Wed 10:00.
    expect(iso(r.resolutionDueAt)).toBe(iso(d("2026-01-07T10:00:00+03:00")));
    // Warn at 864: Mon 480, Tue 09:00 + 384 min (6 h 24) → Tue 15:24.
    expect(iso(r.resolutionWarnAt)).toBe(iso(d("2026-01-06T15:24:00+03:00")));
    expect(r.paused).toBe(false);
    expect(r.firstResponsePausedRemainingMinutes).toBeNull();
    expect(r.resolutionPausedRemainingMinutes).toBeNull();
  });

  it("starts the clock at the next opening for a ticket created outside hours", () => {
    // Saturday Jan 10 → Monday Jan 12 09:00; +60 → 10:00, warn +48 → 09:48.
    const r = computeSlaDueTimes({ policy, hours: cal, createdAt: d("2026-01-10T15:00:00+03:00") });
    expect(iso(r.firstResponseDueAt)).toBe(iso(d("2026-01-12T10:00:00+03:00")));
    expect(iso(r.firstResponseWarnAt)).toBe(iso(d("2026-01-12T09:48:00+03:00")));
  });

  it("uses calendar time when there are no business hours", () => {
    const r = computeSlaDueTimes({ policy: { firstResponseMinutes: 30, resolutionMinutes: 1440, warnAtPercent: 80 }, hours: null, createdAt: d("2026-01-10T10:00:00Z") });
    expect(iso(r.firstResponseDueAt)).toBe("2026-01-10T10:30:00.000Z"); // +30 min
    expect(iso(r.firstResponseWarnAt)).toBe("2026-01-10T10:24:00.000Z"); // +24 min (80 % of 30)
    expect(iso(r.resolutionDueAt)).toBe("2026-01-11T10:00:00.000Z"); // +24 h
    expect(iso(r.resolutionWarnAt)).toBe("2026-01-11T05:12:00.000Z"); // +1152 min = 19 h 12
  });

  it("leaves targets without minutes empty and disables warnings at 0 % or 100 %", () => {
    const r = computeSlaDueTimes({ policy: { firstResponseMinutes: null, warnAtPercent: 100 }, hours, createdAt: MON_10 });
    expect(r).toEqual({
      firstResponseDueAt: null,
      firstResponseWarnAt: null,
      resolutionDueAt: null,
      resolutionWarnAt: null,
      paused: false,
      firstResponsePausedRemainingMinutes: null,
      resolutionPausedRemainingMinutes: null,
    });
    const zero = computeSlaDueTimes({ policy: { firstResponseMinutes: 60, warnAtPercent: 0 }, hours, createdAt: MON_10 });
    expect(iso(zero.firstResponseDueAt)).toBe(iso(d("2026-01-05T11:00:00+03:00")));
    expect(zero.firstResponseWarnAt).toBeNull();
    expect(() => computeSlaDueTimes({ policy: { firstResponseMinutes: -5, warnAtPercent: 80 }, hours, createdAt: MON_10 })).toThrow(RangeError);
  });

  it("24 business hours on a 24/7 New York schedule across spring-forward are 24 real hours", () => {
    const ny = { timezone: "America/New_York", schedule: Object.fromEntries(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((k) => [k, [["00:00", "24:00"]]])) };
    // Sat Mar 7 12:00 EST (17:00Z) + 1440 → Sun Mar 8 13:00 EDT = 17:00Z (wall clock shows 25 h later).
    const r = computeSlaDueTimes({ policy: { resolutionMinutes: 1440, warnAtPercent: 50 }, hours: ny, createdAt: d("2026-03-07T17:00:00Z") });
    expect(iso(r.resolutionDueAt)).toBe("2026-03-08T17:00:00.000Z");
    expect(iso(r.resolutionWarnAt)).toBe("2026-03-08T05:00:00.000Z"); // +720 min = 12 h
  });
});

describe("SLA due times with pauses", () => {
  it("shifts due times by the paused business minutes", () => {
    // Pending Mon 10:30 → Tue 10:00 covers Mon 10:30–18:00 (450) + Tue 09:00–10:00 (60) = 510 business minutes.
    const pauses = [{ from: d("2026-01-05T10:30:00+03:00"), to: d("2026-01-06T10:00:00+03:00") }];
    const r = computeSlaDueTimes({ policy, hours, createdAt: MON_10, pauses });
    // First response: 30 before the pause, 30 after Tue 10:00 → Tue 10:30. Warn 48: 30 + 18 → Tue 10:18.
    expect(iso(r.firstResponseDueAt)).toBe(iso(d("2026-01-06T10:30:00+03:00")));
    expect(iso(r.firstResponseWarnAt)).toBe(iso(d("2026-01-06T10:18:00+03:00")));
    // Resolution 1080: 30 before, then Tue 10–18 (480) → 570 left, Wed 540 → 30 left → Thu 09:30.
    // (= the unpaused due Wed 10:00 shifted by 510 business minutes: Wed 10–18 is 480, Thu 09:00 + 30.)
    expect(iso(r.resolutionDueAt)).toBe(iso(d("2026-01-08T09:30:00+03:00")));
    expect(iso(r.resolutionDueAt)).toBe(iso(addBusinessMinutes(hours, d("2026-01-07T10:00:00+03:00"), 510)));
    // Resolution warn 864: 30 + Tue 480 = 510 → 354 left → Wed 09:00 + 5 h 54 = Wed 14:54.
    expect(iso(r.resolutionWarnAt)).toBe(iso(d("2026-01-07T14:54:00+03:00")));
    expect(r.paused).toBe(false);
  });

  it("does not shift anything for a pause outside business hours", () => {
    const pauses = [{ from: d("2026-01-05T18:30:00+03:00"), to: d("2026-01-06T08:00:00+03:00") }];
    const r = computeSlaDueTimes({ policy, hours, createdAt: MON_10, pauses });
    expect(iso(r.resolutionDueAt)).toBe(iso(d("2026-01-07T10:00:00+03:00")));
  });

  it("leaves a target reached before a pause where it was", () => {
    // First response due Mon 11:00; pending only from Mon 12:00 → Mon 14:00 (120 business minutes).
    const pauses = [{ from: d("2026-01-05T12:00:00+03:00"), to: d("2026-01-05T14:00:00+03:00") }];
    const r = computeSlaDueTimes({ policy, hours, createdAt: MON_10, pauses });
    expect(iso(r.firstResponseDueAt)).toBe(iso(d("2026-01-05T11:00:00+03:00")));
    // Resolution: Wed 10:00 + 120 → Wed 12:00.
    expect(iso(r.resolutionDueAt)).toBe(iso(d("2026-01-07T12:00:00+03:00")));
  });

  it("merges overlapping pauses and clips pauses that began before creation", () => {
    const pauses: PauseInterval[] = [
      { from: d("2026-01-05T13:00:00+03:00"), to: d("2026-01-05T15:00:00+03:00") },
      { from: d("2026-01-05T12:00:00+03:00"), to: d("2026-01-05T14:00:00+03:00") }, // overlaps: together 12:00–15:00
      { from: d("2026-01-04T12:00:00+03:00"), to: d("2026-01-05T10:30:00+03:00") }, // before creation: counts from 10:00
      { from: d("2026-01-05T16:00:00+03:00"), to: d("2026-01-05T15:00:00+03:00") }, // inverted: ignored
    ];
    expect(normalizePauses(pauses, MON_10)).toEqual([
      { from: MON_10, to: d("2026-01-05T10:30:00+03:00") },
      { from: d("2026-01-05T12:00:00+03:00"), to: d("2026-01-05T15:00:00+03:00") },
    ]);
    // Paused business minutes: 30 + 180 = 210. Resolution Wed 10:00 + 210 → Wed 13:30.
    const r = computeSlaDueTimes({ policy, hours, createdAt: MON_10, pauses });
    expect(iso(r.resolutionDueAt)).toBe(iso(d("2026-01-07T13:30:00+03:00")));
    // First response: clock starts 10:30; 10:30–12:00 = 90 ≥ 60 → Mon 11:30.
    expect(iso(r.firstResponseDueAt)).toBe(iso(d("2026-01-05T11:30:00+03:00")));
  });

  it("while paused, returns null for targets not yet reached and the minutes left on each clock", () => {
    const open = [{ from: d("2026-01-05T10:30:00+03:00"), to: null }];
    const r = computeSlaDueTimes({ policy, hours, createdAt: MON_10, pauses: open });
    expect(r.paused).toBe(true);
    expect(r.firstResponseDueAt).toBeNull();
    expect(r.firstResponseWarnAt).toBeNull(); // 48 not reached by 10:30 either
    expect(r.resolutionDueAt).toBeNull();
    expect(r.firstResponsePausedRemainingMinutes).toBe(30); // 60 − 30 elapsed
    expect(r.resolutionPausedRemainingMinutes).toBe(1050); // 1080 − 30
    // Resuming on Tue 10:00: the caller can add the remainder, which matches a recomputation with the pause closed.
    const resumed = computeSlaDueTimes({ policy, hours, createdAt: MON_10, pauses: [{ from: d("2026-01-05T10:30:00+03:00"), to: d("2026-01-06T10:00:00+03:00") }] });
    expect(iso(addBusinessMinutes(hours, d("2026-01-06T10:00:00+03:00"), 30))).toBe(iso(resumed.firstResponseDueAt));
    expect(iso(addBusinessMinutes(hours, d("2026-01-06T10:00:00+03:00"), 1050))).toBe(iso(resumed.resolutionDueAt));
  });

  it("while paused, keeps due and warning times that were already reached", () => {
    // Pending from Mon 12:00 (open): first response (Mon 11:00) and its warning (10:48) already passed.
    const r = computeSlaDueTimes({ policy, hours, createdAt: MON_10, pauses: [{ from: d("2026-01-05T12:00:00+03:00"), to: null }] });
    expect(iso(r.firstResponseDueAt)).toBe(iso(d("2026-01-05T11:00:00+03:00")));
    expect(iso(r.firstResponseWarnAt)).toBe(iso(d("2026-01-05T10:48:00+03:00")));
    expect(r.firstResponsePausedRemainingMinutes).toBeNull();
    expect(r.resolutionDueAt).toBeNull();
    expect(r.resolutionPausedRemainingMinutes).toBe(960); // 1080 − 120 (10:00–12:00)
  });

  it("a later pause after an open one is swallowed by it", () => {
    const pauses = [{ from: d("2026-01-05T10:30:00+03:00"), to: null }, { from: d("2026-01-06T10:00:00+03:00"), to: d("2026-01-06T11:00:00+03:00") }];
    expect(normalizePauses(pauses, MON_10)).toEqual([{ from: d("2026-01-05T10:30:00+03:00"), to: null }]);
  });
});

describe("elapsedBusinessMinutes", () => {
  it("counts business minutes minus paused business minutes", () => {
    // Mon 10:00 → Tue 12:00: Mon 480 + Tue 180 = 660; paused Mon 11:00–13:00 (120) → 540.
    const pauses = [{ from: d("2026-01-05T11:00:00+03:00"), to: d("2026-01-05T13:00:00+03:00") }];
    expect(elapsedBusinessMinutes(hours, MON_10, d("2026-01-06T12:00:00+03:00"), pauses)).toBe(540);
    // Plus an open pause since Tue 11:00: another 60 → 480.
    const withOpen = [...pauses, { from: d("2026-01-06T11:00:00+03:00"), to: null }];
    expect(elapsedBusinessMinutes(hours, MON_10, d("2026-01-06T12:00:00+03:00"), withOpen)).toBe(480);
    // Pauses after `now` do not count; now ≤ start gives 0.
    expect(elapsedBusinessMinutes(cal, MON_10, d("2026-01-05T10:30:00+03:00"), pauses)).toBe(30);
    expect(elapsedBusinessMinutes(cal, MON_10, MON_10, pauses)).toBe(0);
    expect(elapsedBusinessMinutes(cal, MON_10, d("2026-01-05T09:00:00+03:00"))).toBe(0);
  });

  it("counts calendar minutes when there are no business hours", () => {
    // 10:00 → 12:00 = 120, minus the 15-minute pause = 105; fractional: + 30 s = 105.5.
    const pauses = [{ from: d("2026-01-10T11:00:00Z"), to: d("2026-01-10T11:15:00Z") }];
    expect(elapsedBusinessMinutes(null, d("2026-01-10T10:00:00Z"), d("2026-01-10T12:00:00Z"), pauses)).toBe(105);
    expect(elapsedBusinessMinutes(null, d("2026-01-10T10:00:00Z"), d("2026-01-10T12:00:30Z"), pauses)).toBe(105.5);
  });

  it("is consistent with the computed due times (seeded random pauses)", () => {
    const rnd = prng(42);
    for (let i = 0; i < 100; i++) {
      const createdAt = new Date(Date.UTC(2026, 0, 5) + Math.floor(rnd() * 60 * 86_400_000));
      const pauses: PauseInterval[] = [];
      let t = createdAt.getTime();
      for (let k = Math.floor(rnd() * 4); k > 0; k--) {
        t += Math.floor(rnd() * 3 * 86_400_000);
        const to = t + Math.floor(rnd() * 2 * 86_400_000);
        pauses.push({ from: new Date(t), to: new Date(to) });
        t = to;
      }
      const target = 1 + Math.floor(rnd() * 3000);
      const r = computeSlaDueTimes({ policy: { resolutionMinutes: target, warnAtPercent: 75 }, hours: cal, createdAt, pauses });
      // At the due time exactly `target` unpaused business minutes have elapsed, and 75 % at the warning.
      expect(elapsedBusinessMinutes(cal, createdAt, r.resolutionDueAt!, pauses)).toBeCloseTo(target, 9);
      expect(elapsedBusinessMinutes(cal, createdAt, r.resolutionWarnAt!, pauses)).toBeCloseTo(target * 0.75, 9);
      // …and one millisecond earlier the target had not been reached yet.
      expect(elapsedBusinessMinutes(cal, createdAt, new Date(r.resolutionDueAt!.getTime() - 1), pauses)).toBeLessThan(target);
    }
  });
});

describe("slaState", () => {
  const due = d("2026-01-05T11:00:00Z");
  const warn = d("2026-01-05T10:48:00Z");

  it.each([
    // [case, input, expected]
    ["no target", { dueAt: null, warnAt: null, doneAt: null, now: due }, "none"],
    ["before the warning", { dueAt: due, warnAt: warn, doneAt: null, now: d("2026-01-05T10:47:59Z") }, "ok"],
    ["at the warning instant", { dueAt: due, warnAt: warn, doneAt: null, now: warn }, "at_risk"],
    ["at the due instant (still in time)", { dueAt: due, warnAt: warn, doneAt: null, now: due }, "at_risk"],
    ["after the due instant", { dueAt: due, warnAt: warn, doneAt: null, now: d("2026-01-05T11:00:00.001Z") }, "breached"],
    ["no warning configured", { dueAt: due, warnAt: null, doneAt: null, now: d("2026-01-05T10:59:00Z") }, "ok"],
    ["done before due", { dueAt: due, warnAt: warn, doneAt: d("2026-01-05T10:50:00Z"), now: d("2026-01-06T00:00:00Z") }, "met"],
    ["done exactly at due", { dueAt: due, warnAt: warn, doneAt: due, now: d("2026-01-06T00:00:00Z") }, "met"],
    ["done after due", { dueAt: due, warnAt: warn, doneAt: d("2026-01-05T11:01:00Z"), now: d("2026-01-06T00:00:00Z") }, "breached"],
    ["paused, not yet due", { dueAt: null, warnAt: null, doneAt: null, now: due, paused: true }, "ok"],
    ["paused after the warning", { dueAt: null, warnAt: warn, doneAt: null, now: due, paused: true }, "at_risk"],
    ["paused after breaching", { dueAt: due, warnAt: warn, doneAt: null, now: d("2026-01-05T12:00:00Z"), paused: true }, "breached"],
    ["done while paused", { dueAt: null, warnAt: null, doneAt: due, now: due, paused: true }, "met"],
    ["done without target", { dueAt: null, warnAt: null, doneAt: due, now: due }, "none"],
  ] as const)("%s", (_case, input, expected) => {
    expect(slaState(input)).toBe(expected);
  });
});
