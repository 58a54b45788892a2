import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { reportFilterSchema, type ReportFilterInput } from "@/lib/reports/filters";
import { resolveScope } from "@/lib/reports/scope";
import { agentPerformance } from "@/lib/reports/agents";
import { answeredTicket, resolvedTicket } from "@/lib/reports/test-tickets";

/*
 * R2's medians and p90s per agent, per group and in total come from one read of the spans per agent ×
 * group cell (lib/reports/agents.ts, selection in lib/reports/quantiles.ts); the previous period's
 * total from percentile_cont. Here the cells cross brands and groups: an agent's set joins cells of
 * two groups and two brands, a group's joins two agents', and only one brand has business hours, so
 * its spans alone make the business figures. Brand H is open Mon–Fri 09:00–17:00 UTC; brand N has no
 * hours. The week is Mon 2026-11-16 … Sun 11-22 (both brands in UTC), the previous one 11-09 … 11-15.
 *
 *         brand agent group  first response       resolution
 *   H1    H     A     G1     Mon 10:00 → 11:00 1 h  → Mon 13:00   3 h (business the same: all in hours)
 *   H2    H     A     G2     Tue 10:00 → 12:00 2 h  → Tue 16:00   6 h
 *   H3    H     B     G1     Wed 09:00 → 13:00 4 h  → Thu 09:00  24 h (business 8 h: Wed 09–17)
 *   N1    N     A     G1     Mon 10:00 → 10:30 ½ h  → Mon 18:00   8 h (no business figures)
 *   N2    N     B     —      Thu 10:00 → Fri 10:00 24 h → Fri 12:00 26 h
 *   P1    H     A     G1     Tue 11-10 10:00 → 10:15 ¼ h → 12:00 2 h        (previous week)
 *   P2    N     B     G2     Wed 11-11 10:00 → 14:00 4 h → Thu 10:00 24 h   (previous week)
 */
const NOW = new Date("2026-11-22T12:00:00Z");
const H = 3600;
const WEEK = { preset: "custom", from: "2026-11-16", to: "2026-11-22" } as const;

let brandH = "";
let brandN = "";
let agentA = "";
let agentB = "";
let g1 = "";
let g2 = "";

const scope = (f: ReportFilterInput = {}) => resolveScope(db, { filters: reportFilterSchema.parse({ ...WEEK, ...f }), brandIds: [brandH, brandN], now: NOW });

beforeAll(async () => {
  const weekdays = Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:00"]]]));
  const hours = await db.businessHours.create({ data: { name: "H hours", timezone: "UTC", schedule: weekdays } });
  brandH = (await db.brand.create({ data: { slug: "brand-h", name: "H", timezone: "UTC", businessHoursId: hours.id } })).id;
  brandN = (await db.brand.create({ data: { slug: "brand-n", name: "N", timezone: "UTC" } })).id;
  const role = await db.role.create({ data: { name: "Agent", builtIn: "AGENT", permissions: ["tickets.view"] } });
  agentA = (await db.user.create({ data: { email: "a@cells.test", name: "Agent A", roleId: role.id } })).id;
  agentB = (await db.user.create({ data: { email: "b@cells.test", name: "Agent B", roleId: role.id } })).id;
  g1 = (await db.group.create({ data: { name: "G1" } })).id;
  g2 = (await db.group.create({ data: { name: "G2" } })).id;
  await resolvedTicket(db, { key: "H1", brandId: brandH, agent: agentA, group: g1, created: "2026-11-16T10:00:00Z", replied: "2026-11-16T11:00:00Z", resolved: "2026-11-16T13:00:00Z" });
  await resolvedTicket(db, { key: "H2", brandId: brandH, agent: agentA, group: g2, created: "2026-11-17T10:00:00Z", replied: "2026-11-17T12:00:00Z", resolved: "2026-11-17T16:00:00Z" });
  await resolvedTicket(db, { key: "H3", brandId: brandH, agent: agentB, group: g1, created: "2026-11-18T09:00:00Z", replied: "2026-11-18T13:00:00Z", resolved: "2026-11-19T09:00:00Z" });
  await resolvedTicket(db, { key: "N1", brandId: brandN, agent: agentA, group: g1, created: "2026-11-16T10:00:00Z", replied: "2026-11-16T10:30:00Z", resolved: "2026-11-16T18:00:00Z" });
  await resolvedTicket(db, { key: "N2", brandId: brandN, agent: agentB, group: null, created: "2026-11-19T10:00:00Z", replied: "2026-11-20T10:00:00Z", resolved: "2026-11-20T12:00:00Z" });
  await resolvedTicket(db, { key: "P1", brandId: brandH, agent: agentA, group: g1, created: "2026-11-10T10:00:00Z", replied: "2026-11-10T10:15:00Z", resolved: "2026-11-10T12:00:00Z" });
  await resolvedTicket(db, { key: "P2", brandId: brandN, agent: agentB, group: g2, created: "2026-11-11T10:00:00Z", replied: "2026-11-11T14:00:00Z", resolved: "2026-11-12T10:00:00Z" });
});

describe("R2 medians and p90s from agent × group cells", () => {
  it("in total, over both brands; business figures from the brand with hours only", async () => {
    const r = await agentPerformance(db, await scope());
    // First responses ½, 1, 2, 4, 24 h: median 2 h; p90 at rank 3.6 = 4 h + 0.6 × 20 h = 16 h. Business (H) 1, 2, 4 h: p90 at 1.8 = 2 h + 0.8 × 2 h = 3.6 h.
    expect(r.total.firstResponse).toEqual({ count: 5, median: 2 * H, p90: 16 * H, businessMedian: 2 * H, businessP90: 3.6 * H });
    // Resolutions 3, 6, 8, 24, 26 h: median 8 h; p90 24 h + 0.6 × 2 h = 25.2 h. Business (H) 3, 6, 8 h: median 6 h; p90 6 h + 0.8 × 2 h = 7.6 h.
    expect(r.total.resolution).toEqual({ count: 5, median: 8 * H, p90: 25.2 * H, businessMedian: 6 * H, businessP90: 7.6 * H });
    expect(r.total).toMatchObject({ resolved: 5, reopened: 0 });
  });

  it("per agent, across groups and brands", async () => {
    const r = await agentPerformance(db, await scope());
    const a = r.agents.find((x) => x.id === agentA)!;
    // A: H1 (G1), H2 (G2), N1 (G1, brand N). First responses ½, 1, 2 h: median 1 h, p90 1 h + 0.8 × 1 h = 1.8 h;
    // business 1, 2 h: median 1.5 h, p90 1 h + 0.9 × 1 h = 1.9 h. Resolutions 3, 6, 8 h; business 3, 6 h: median 4.5 h, p90 3 h + 0.9 × 3 h = 5.7 h.
    expect(a.firstResponse).toEqual({ count: 3, median: H, p90: 1.8 * H, businessMedian: 1.5 * H, businessP90: 1.9 * H });
    expect(a.resolution).toEqual({ count: 3, median: 6 * H, p90: 7.6 * H, businessMedian: 4.5 * H, businessP90: 5.7 * H });
    const b = r.agents.find((x) => x.id === agentB)!;
    // B: H3 (G1), N2 (no group, brand N). First responses 4, 24 h: median 14 h, p90 4 h + 0.9 × 20 h = 22 h; business 4 h alone.
    // Resolutions 24, 26 h: median 25 h, p90 24 h + 0.9 × 2 h = 25.8 h; business 8 h alone.
    expect(b.firstResponse).toEqual({ count: 2, median: 14 * H, p90: 22 * H, businessMedian: 4 * H, businessP90: 4 * H });
    expect(b.resolution).toEqual({ count: 2, median: 25 * H, p90: 25.8 * H, businessMedian: 8 * H, businessP90: 8 * H });
  });

  it("per group, across agents; no group is a row of its own, without business figures when its brand has no hours", async () => {
    const r = await agentPerformance(db, await scope());
    const one = r.groups.find((x) => x.id === g1)!;
    // G1: H1 (A), H3 (B), N1 (A). First responses ½, 1, 4 h: median 1 h, p90 1 h + 0.8 × 3 h = 3.4 h; business 1, 4 h: median 2.5 h, p90 1 h + 0.9 × 3 h = 3.7 h.
    // Resolutions 3, 8, 24 h: median 8 h, p90 8 h + 0.8 × 16 h = 20.8 h; business 3, 8 h: median 5.5 h, p90 3 h + 0.9 × 5 h = 7.5 h.
    expect(one.firstResponse).toEqual({ count: 3, median: H, p90: 3.4 * H, businessMedian: 2.5 * H, businessP90: 3.7 * H });
    expect(one.resolution).toEqual({ count: 3, median: 8 * H, p90: 20.8 * H, businessMedian: 5.5 * H, businessP90: 7.5 * H });
    const two = r.groups.find((x) => x.id === g2)!;
    expect(two.firstResponse).toEqual({ count: 1, median: 2 * H, p90: 2 * H, businessMedian: 2 * H, businessP90: 2 * H });
    expect(two.resolution).toEqual({ count: 1, median: 6 * H, p90: 6 * H, businessMedian: 6 * H, businessP90: 6 * H });
    const none = r.groups.find((x) => x.id === null)!;
    expect(none.firstResponse).toEqual({ count: 1, median: 24 * H, p90: 24 * H, businessMedian: null, businessP90: null });
    expect(none.resolution).toEqual({ count: 1, median: 26 * H, p90: 26 * H, businessMedian: null, businessP90: null });
  });

  it("within a group filter, and for the previous period's total", async () => {
    const r = await agentPerformance(db, await scope({ groupId: g1 }));
    expect(r.total.firstResponse).toEqual({ count: 3, median: H, p90: 3.4 * H, businessMedian: 2.5 * H, businessP90: 3.7 * H });
    // A in G1: N1 ½ h and H1 1 h: median ¾ h, p90 ½ h + 0.9 × ½ h = 0.95 h; business 1 h alone.
    expect(r.agents.find((x) => x.id === agentA)!.firstResponse).toEqual({ count: 2, median: 0.75 * H, p90: 0.95 * H, businessMedian: H, businessP90: H });
    expect(r.groups.map((x) => x.id)).toEqual([g1]);
    // Previous week (all brands): first responses ¼, 4 h: median 2.125 h, p90 ¼ h + 0.9 × 3.75 h = 3.625 h; business ¼ h (P1) alone.
    // Resolutions 2, 24 h: median 13 h, p90 2 h + 0.9 × 22 h = 21.8 h; business 2 h alone.
    const all = await agentPerformance(db, await scope());
    expect(all.previousTotal.firstResponse).toEqual({ count: 2, median: 2.125 * H, p90: 3.625 * H, businessMedian: 0.25 * H, businessP90: 0.25 * H });
    expect(all.previousTotal.resolution).toEqual({ count: 2, median: 13 * H, p90: 21.8 * H, businessMedian: 2 * H, businessP90: 2 * H });
  });
});

/*
 * Whole UTC days before yesterday are read from kept cells (ReportSpanCell), the rest of the range
 * from the spans. Brand E is in Asia/Tokyo (UTC+9), without hours: its week Mon 11-16 … Sun 11-22 is
 * 2026-11-15 15:00Z … 11-22 15:00Z, so the first UTC day is partial; "now" is 11-22 12:00Z, so the
 * days kept are 11-16 … 11-20 and 11-21 … 11-22 15:00Z are read from the spans. First responses (1 h after creation each):
 *   E1  answered 11-15 16:00Z = Mon 01:00 local     in the week (partial first UTC day)
 *   E2  answered 11-15 14:00Z = Sun 23:00 local     the week before
 *   E3  answered 11-18 10:00Z                        in the week (kept day), by agent A
 *   E4  answered 11-22 14:00Z = Sun 23:00 local     in the week (read from the spans)
 *   E5  answered 11-22 15:30Z = Mon 11-23 00:30     after the week
 * E1, E3, E4 took 1 h, 3 h and 5 h to answer (created that long before).
 */
describe("R2 cells kept per UTC day", () => {
  let brandE = "";
  let e3 = 0;
  const eScope = () => resolveScope(db, { filters: reportFilterSchema.parse(WEEK), brandIds: [brandE], now: NOW });

  const answered = (key: string, hours: number, replied: string, agent = agentB) =>
    answeredTicket(db, { key, brandId: brandE, agent, created: new Date(new Date(replied).getTime() - hours * H * 1000).toISOString(), replied });


  beforeAll(async () => {
    brandE = (await db.brand.create({ data: { slug: "brand-e", name: "E", timezone: "Asia/Tokyo" } })).id;
    await answered("E1", 1, "2026-11-15T16:00:00Z");
    await answered("E2", 2, "2026-11-15T14:00:00Z");
    e3 = await answered("E3", 3, "2026-11-18T10:00:00Z", agentA);
    await answered("E4", 5, "2026-11-22T14:00:00Z");
    await answered("E5", 7, "2026-11-22T15:30:00Z");
  });

  it("count the brand's own days, partial UTC days included, alike before and after they are kept", async () => {
    // 1 h, 3 h, 5 h: median 3 h, p90 3 h + 0.8 × 2 h = 4.6 h.
    const want = { count: 3, median: 3 * H, p90: 4.6 * H, businessMedian: null, businessP90: null };
    expect((await agentPerformance(db, await eScope())).total.firstResponse).toEqual(want);
    const kept = await db.$queryRaw<{ day: string }[]>`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM "ReportSpanCellDay" WHERE "brandId" = ${brandE} AND kind = 1 ORDER BY day`;
    expect(kept.map((x) => x.day)).toEqual(["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]);
    expect((await agentPerformance(db, await eScope())).total.firstResponse).toEqual(want);
  });

  it("follow a change to a kept day", async () => {
    const before = await agentPerformance(db, await eScope());
    expect(before.agents.find((x) => x.id === agentA)!.firstResponse).toMatchObject({ count: 1, median: 3 * H });
    await db.ticket.update({ where: { id: e3 }, data: { assigneeId: agentB } });
    const after = await agentPerformance(db, await eScope());
    expect(after.agents.find((x) => x.id === agentA)?.firstResponse.count ?? 0).toBe(0);
    expect(after.agents.find((x) => x.id === agentB)!.firstResponse).toEqual({ count: 3, median: 3 * H, p90: 4.6 * H, businessMedian: null, businessP90: null });
    // Moved to the trash, E3 leaves the report: 1 h and 5 h, median 3 h, p90 1 h + 0.9 × 4 h = 4.6 h.
    await db.ticket.update({ where: { id: e3 }, data: { state: "TRASH" } });
    expect((await agentPerformance(db, await eScope())).total.firstResponse).toEqual({ count: 2, median: 3 * H, p90: 4.6 * H, businessMedian: null, businessP90: null });
  });
});
