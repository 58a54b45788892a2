import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTicket } from "@/lib/tickets/create";
import { appendMessage } from "@/lib/tickets/messages";
import { receiveCustomerMessage } from "@/lib/tickets/customer-message";
import { CUSTOMER } from "@/lib/tickets/actor";
import { reportFilterSchema } from "@/lib/reports/filters";
import { resolveScope } from "@/lib/reports/scope";
import { agentPerformance } from "@/lib/reports/agents";
import { slaReport } from "@/lib/reports/sla";
import { fillAllBusinessSeconds } from "@/lib/reports/business-fill";

/*
 * The per-ticket durations (ReportSpan) and live SLA tickets (ReportSlaLive) that the agent and SLA
 * reports read are kept by triggers; business seconds are filled in by the reports with the brand's
 * current hours. Brand Gamma is in UTC, open Mon–Fri 09:00–17:00; the week is Mon 2026-11-16 … Sun 11-22.
 */
const NOW = new Date("2026-11-22T12:00:00Z");
const at = (iso: string) => new Date(iso);
const H = 3600;
const WEEK = { preset: "custom", from: "2026-11-16", to: "2026-11-22" } as const;

let gamma = "";
let agent = "";
let hoursId = "";

const scope = () => resolveScope(db, { filters: reportFilterSchema.parse({ ...WEEK, brandId: gamma }), brandIds: [gamma], now: NOW });

async function ticket(key: string, createdAt: string, extra: { resDue?: string } = {}) {
  const t = await db.$transaction((tx) =>
    createTicket(tx, {
      brandId: gamma,
      channel: "EMAIL",
      subject: `Ticket ${key}`,
      customer: { email: `${key.toLowerCase()}@example.com`, name: key },
      message: { kind: "CUSTOMER", html: null, text: "Help", createdAt: at(createdAt) },
      actor: CUSTOMER,
      assigneeId: agent,
    }),
  );
  if (extra.resDue) await db.ticket.update({ where: { id: t.id }, data: { resolutionDueAt: at(extra.resDue) } });
  return t.id;
}

const reply = (ticketId: number, when: string) => db.$transaction((tx) => appendMessage(tx, ticketId, { kind: "REPLY", html: null, text: "On it", authorId: agent, createdAt: at(when) }));

async function resolve(ticketId: number, when: string) {
  const t = await db.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { status: true } });
  await db.ticket.update({ where: { id: ticketId }, data: { status: "RESOLVED", resolvedAt: at(when) } });
  await db.ticketEvent.create({ data: { ticketId, actorType: "USER", type: "STATUS", fromValue: t.status, toValue: "RESOLVED", createdAt: at(when) } });
}

beforeAll(async () => {
  const weekdays = Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:00"]]]));
  hoursId = (await db.businessHours.create({ data: { name: "Gamma hours", timezone: "UTC", schedule: weekdays } })).id;
  gamma = (await db.brand.create({ data: { slug: "gamma", name: "Gamma", timezone: "UTC", businessHoursId: hoursId } })).id;
  const role = await db.role.create({ data: { name: "Agent", builtIn: "AGENT", permissions: ["tickets.view"] } });
  agent = (await db.user.create({ data: { email: "g@desk.test", name: "Agent G", roleId: role.id } })).id;
});

describe("agent durations", () => {
  it("follow the brand's business hours, also after the hours change", async () => {
    // Mon 16:00 → Tue 10:00: 18 h calendar, 2 h business (Mon 16–17, Tue 09–10).
    const t = await ticket("G1", "2026-11-16T16:00:00Z");
    await reply(t, "2026-11-17T10:00:00Z");
    let r = await agentPerformance(db, await scope());
    expect(r.total.firstResponse).toEqual({ count: 1, median: 18 * H, p90: 18 * H, businessMedian: 2 * H, businessP90: 2 * H });
    // Open until 20:00 on weekdays from now on: Mon 16–20 and Tue 09–10 are 5 h.
    await db.businessHours.update({ where: { id: hoursId }, data: { schedule: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "20:00"]]])) } });
    r = await agentPerformance(db, await scope());
    expect(r.total.firstResponse).toMatchObject({ median: 18 * H, businessMedian: 5 * H });
  });

  it("are filled in by the worker's job before anyone opens a report", async () => {
    // Tue 16:00 → Wed 09:30: 17.5 h calendar, 1.5 h business with the 09:00–20:00 hours set above.
    const t = await ticket("G0", "2026-11-17T16:00:00Z");
    await reply(t, "2026-11-18T09:30:00Z");
    expect(await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "ReportSpanPending" WHERE "ticketId" = ${t}`).toEqual([{ n: 1 }]);
    await fillAllBusinessSeconds(db);
    expect(await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "ReportSpanPending" WHERE "ticketId" = ${t}`).toEqual([{ n: 0 }]);
    const [span] = await db.$queryRaw<{ business: number }[]>`SELECT business::float8 AS business FROM "ReportSpan" WHERE "ticketId" = ${t} AND kind = 1`;
    expect(span!.business).toBe(4 * H + 0.5 * H);
  });

  it("move with the ticket: reassigned, reopened and resolved again", async () => {
    // Wed 09:00, resolved Wed 11:00, reopened Thu 09:00 and resolved Thu 10:00: 25 h, reopened once.
    const t = await ticket("G2", "2026-11-18T09:00:00Z");
    await reply(t, "2026-11-18T10:00:00Z");
    await resolve(t, "2026-11-18T11:00:00Z");
    await db.$transaction((tx) => receiveCustomerMessage(tx, t, { html: null, text: "Again", createdAt: at("2026-11-19T09:00:00Z") }));
    await db.ticket.update({ where: { id: t }, data: { assigneeId: null } });
    await resolve(t, "2026-11-19T10:00:00Z");
    const r = await agentPerformance(db, await scope());
    expect(r.total.resolution).toMatchObject({ count: 1, median: 25 * H });
    expect(r.total).toMatchObject({ resolved: 1, reopened: 1 });
    // It counts for its current assignee: nobody.
    expect(r.agents.find((a) => a.id === agent)?.resolved ?? 0).toBe(0);
  });
});

describe("live SLA tickets", () => {
  it("are judged against now until their targets are done, then counted from the day rollup", async () => {
    // Fri 09:00 with a resolution target at Fri 12:00: breached by now while open, still breached once resolved late.
    const t = await ticket("G3", "2026-11-20T09:00:00Z", { resDue: "2026-11-20T12:00:00Z" });
    let r = await slaReport(db, await scope());
    expect(r.totals).toMatchObject({ tickets: 1, breached: 1, resolutionBreached: 1, met: 0 });
    await resolve(t, "2026-11-21T09:00:00Z");
    r = await slaReport(db, await scope());
    expect(r.totals).toMatchObject({ tickets: 1, breached: 1, resolutionBreached: 1, met: 0 });
  });
});

describe("kept tables", () => {
  it("equal a recount from the tickets after all these writes", async () => {
    const spans = () =>
      db.$queryRaw<unknown[]>`SELECT "ticketId", kind, "brandId", at, "groupId", "assigneeId", "fromMs", "toMs", seconds, reopened FROM "ReportSpan" ORDER BY 1, 2`;
    const live = () => db.$queryRaw<unknown[]>`SELECT * FROM "ReportSlaLive" ORDER BY 1`;
    const kept = [await spans(), await live()];
    await db.$executeRaw`SELECT report_rollup_rebuild(NULL)`;
    expect([await spans(), await live()]).toEqual(kept);
    expect((kept[0] as unknown[]).length).toBeGreaterThan(0);
  });
});
