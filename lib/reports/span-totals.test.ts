import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { reportFilterSchema, type ReportFilterInput } from "@/lib/reports/filters";
import { resolveScope } from "@/lib/reports/scope";
import { agentPerformance } from "@/lib/reports/agents";
import { resolvedTicket, setStatusAt } from "@/lib/reports/test-tickets";

/*
 * The agent report's previous-period totals are kept in ReportSpanTotal and read again while the
 * period's spans are unchanged (ReportSpanVersion, counted by triggers on ReportSpan: migration
 * report_span_totals). Every kind of change to a span of the period must make the next report
 * compute them again: a reopen, a resolution, new business hours, a group change. Brand H is open
 * Mon–Fri 11:00–17:00 UTC… at first 09:00–17:00; brand N has no hours. The report week is
 * Mon 2026-11-16 … Sun 11-22; the previous week 11-09 … 11-15 holds:
 *   P1  H, agent A, group G1: Tue 11-10 10:00, answered 10:15 (¼ h), resolved 12:00 (2 h; business the same)
 *   P2  N, agent B, group G2: Wed 11-11 10:00, answered 14:00 (4 h), resolved Thu 10:00 (24 h; no business figures)
 */
const NOW = new Date("2026-11-22T12:00:00Z");
const H = 3600;
const WEEK = { preset: "custom", from: "2026-11-16", to: "2026-11-22" } as const;

let brandH = "";
let brandN = "";
let hoursId = "";
let agentA = "";
let agentB = "";
let g1 = "";
let g2 = "";
let p1 = 0;
let p2 = 0;

const previous = async (f: ReportFilterInput = {}) =>
  (await agentPerformance(db, await resolveScope(db, { filters: reportFilterSchema.parse({ ...WEEK, ...f }), brandIds: [brandH, brandN], now: NOW }))).previousTotal;
const kept = () => db.$queryRaw<{ key: string; computedAt: Date }[]>`SELECT key, "computedAt" FROM "ReportSpanTotal" ORDER BY key`;

beforeAll(async () => {
  const weekdays = (open: string) => Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [[open, "17:00"]]]));
  hoursId = (await db.businessHours.create({ data: { name: "H hours", timezone: "UTC", schedule: weekdays("09:00") } })).id;
  brandH = (await db.brand.create({ data: { slug: "brand-h", name: "H", timezone: "UTC", businessHoursId: hoursId } })).id;
  brandN = (await db.brand.create({ data: { slug: "brand-n", name: "N", timezone: "UTC" } })).id;
  const role = await db.role.create({ data: { name: "Agent", builtIn: "AGENT", permissions: ["tickets.view"] } });
  agentA = (await db.user.create({ data: { email: "a@totals.test", name: "Agent A", roleId: role.id } })).id;
  agentB = (await db.user.create({ data: { email: "b@totals.test", name: "Agent B", roleId: role.id } })).id;
  g1 = (await db.group.create({ data: { name: "G1" } })).id;
  g2 = (await db.group.create({ data: { name: "G2" } })).id;
  p1 = await resolvedTicket(db, { key: "P1", brandId: brandH, agent: agentA, group: g1, created: "2026-11-10T10:00:00Z", replied: "2026-11-10T10:15:00Z", resolved: "2026-11-10T12:00:00Z" });
  p2 = await resolvedTicket(db, { key: "P2", brandId: brandN, agent: agentB, group: g2, created: "2026-11-11T10:00:00Z", replied: "2026-11-11T14:00:00Z", resolved: "2026-11-12T10:00:00Z" });
});

describe("previous-period totals kept between reports", () => {
  it("are read again while the period's spans are unchanged", async () => {
    const first = await previous();
    // First responses ¼ h and 4 h: median 2.125 h, p90 ¼ h + 0.9 × 3.75 h = 3.625 h; business ¼ h (P1) alone.
    expect(first.firstResponse).toEqual({ count: 2, median: 2.125 * H, p90: 3.625 * H, businessMedian: 0.25 * H, businessP90: 0.25 * H });
    // Resolutions 2 h and 24 h: median 13 h, p90 2 h + 0.9 × 22 h = 21.8 h; business 2 h (P1) alone.
    expect(first.resolution).toEqual({ count: 2, median: 13 * H, p90: 21.8 * H, businessMedian: 2 * H, businessP90: 2 * H });
    const before = await kept();
    expect(before).toHaveLength(2); // one per kind of span
    expect(await previous()).toEqual(first);
    expect(await kept()).toEqual(before); // not computed again
  });

  it("follow a reopen and a new resolution", async () => {
    await setStatusAt(db, p2, "OPEN", "2026-11-12T15:00:00Z");
    // P2 is no longer resolved: its resolution leaves the period.
    expect((await previous()).resolution).toEqual({ count: 1, median: 2 * H, p90: 2 * H, businessMedian: 2 * H, businessP90: 2 * H });
    await setStatusAt(db, p2, "RESOLVED", "2026-11-13T10:00:00Z");
    // Resolved again Fri 10:00, 48 h after it was created: 2 h and 48 h, median 25 h, p90 2 h + 0.9 × 46 h = 43.4 h; reopened.
    const r = await previous();
    expect(r.resolution).toEqual({ count: 2, median: 25 * H, p90: 43.4 * H, businessMedian: 2 * H, businessP90: 2 * H });
    expect(r).toMatchObject({ resolved: 2, reopened: 1, reopenRate: 0.5 });
  });

  it("follow new business hours", async () => {
    await db.businessHours.update({ where: { id: hoursId }, data: { schedule: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["11:00", "17:00"]]])) } });
    // Open from 11:00: P1's answer at 10:15 took no business time, its resolution at 12:00 one hour.
    const r = await previous();
    expect(r.firstResponse).toMatchObject({ count: 2, businessMedian: 0, businessP90: 0 });
    expect(r.resolution).toMatchObject({ count: 2, businessMedian: H, businessP90: H });
  });

  it("follow a ticket into another group, per group filter", async () => {
    expect((await previous({ groupId: g1 })).firstResponse).toMatchObject({ count: 1, median: 0.25 * H });
    await db.ticket.update({ where: { id: p1 }, data: { groupId: g2 } });
    expect((await previous({ groupId: g1 })).firstResponse).toEqual({ count: 0, median: null, p90: null, businessMedian: null, businessP90: null });
    expect((await previous({ groupId: g2 })).firstResponse).toMatchObject({ count: 2, median: 2.125 * H });
    // Reassigned within its group: the totals stay what they were (and are computed again all the same).
    await db.ticket.update({ where: { id: p1 }, data: { assigneeId: agentB } });
    expect((await previous({ groupId: g2 })).firstResponse).toMatchObject({ count: 2, median: 2.125 * H });
  });

  it("drop a deleted ticket", async () => {
    await db.ticket.delete({ where: { id: p2 } });
    expect((await previous()).resolution).toMatchObject({ count: 1, median: 2 * H });
  });
});
