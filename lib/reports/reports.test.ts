import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTicket } from "@/lib/tickets/create";
import { appendMessage } from "@/lib/tickets/messages";
import { receiveCustomerMessage } from "@/lib/tickets/customer-message";
import { CUSTOMER } from "@/lib/tickets/actor";
import { reportFilterSchema, type ReportFilterInput } from "@/lib/reports/filters";
import { resolveScope } from "@/lib/reports/scope";
import { ticketAnalysis } from "@/lib/reports/tickets";
import { agentPerformance } from "@/lib/reports/agents";
import { chatReport } from "@/lib/reports/chats";
import { slaReport } from "@/lib/reports/sla";
import { chatCockpit } from "@/lib/reports/cockpit";
import { reportCsv } from "@/lib/reports/export";
import { csvField } from "@/lib/reports/tables";
import { listTickets } from "@/lib/tickets/list";
import { filtersFromParams } from "@/lib/tickets/filters";
import type { Channel, Priority } from "@/lib/generated/prisma/client";

/*
 * A hand-built week. Alpha is in Europe/Istanbul (UTC+3, no DST) with business hours
 * Mon–Fri 09:00–17:00 local; Beta is in UTC without hours. The report week is
 * Mon 2026-11-16 … Sun 2026-11-22 (Alpha's days); the previous week is 11-09 … 11-15.
 * "Now" is Sun 2026-11-22 12:00Z. Every expected number below is worked out by hand
 * in the comment beside it.
 */
const NOW = new Date("2026-11-22T12:00:00Z");
const at = (iso: string) => new Date(iso);
const H = 3600;

let alpha = "";
let beta = "";
let agentA = "";
let agentB = "";
let groupG = "";
let standard = "";
let urgent = "";
const numbers: Record<string, number> = {};

async function resolveAt(ticketId: number, when: Date) {
  const t = await db.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { status: true } });
  await db.ticket.update({ where: { id: ticketId }, data: { status: "RESOLVED", resolvedAt: when, updatedAt: when } });
  await db.ticketEvent.create({ data: { ticketId, actorType: "USER", type: "STATUS", fromValue: t.status, toValue: "RESOLVED", createdAt: when } });
}

type Spec = {
  key: string;
  brandId?: string;
  channel?: Channel;
  createdAt: string;
  assigneeId?: string | null;
  groupId?: string | null;
  priority?: Priority;
  tags?: string[];
  typeId?: string | null;
  policyId?: string | null;
  frDue?: string;
  resDue?: string;
};

/** A customer-started ticket through the real ticket service. */
async function ticket(s: Spec) {
  const tagIds = s.tags?.length ? (await db.tag.findMany({ where: { name: { in: s.tags } }, select: { id: true } })).map((x) => x.id) : [];
  const created = await db.$transaction((tx) =>
    createTicket(tx, {
      brandId: s.brandId ?? alpha,
      channel: s.channel ?? "EMAIL",
      subject: `Ticket ${s.key}`,
      customer: { email: `${s.key.toLowerCase()}@example.com`, name: s.key },
      message:
        s.channel === "AGENT"
          ? { kind: "REPLY", authorId: agentA, html: null, text: "Agent-created on a call", createdAt: at(s.createdAt) }
          : { kind: "CUSTOMER", html: null, text: "Help", createdAt: at(s.createdAt) },
      actor: CUSTOMER,
      assigneeId: s.assigneeId ?? null,
      groupId: s.groupId ?? null,
      priority: s.priority ?? "MEDIUM",
      typeId: s.typeId ?? null,
      tagIds,
    }),
  );
  if (s.policyId || s.frDue || s.resDue) {
    await db.ticket.update({
      where: { id: created.id },
      data: { slaPolicyId: s.policyId ?? null, firstResponseDueAt: s.frDue ? at(s.frDue) : null, resolutionDueAt: s.resDue ? at(s.resDue) : null },
    });
  }
  numbers[s.key] = created.number;
  return created.id;
}

const message = (ticketId: number, kind: "REPLY" | "NOTE" | "AUTO_REPLY", when: string, authorId: string | null = null) =>
  db.$transaction((tx) => appendMessage(tx, ticketId, { kind, html: null, text: kind.toLowerCase(), authorId, createdAt: at(when) }));

async function chat(s: { queuedAt: string; assignedAt?: string; endedAt?: string; status: "RESOLVED" | "MISSED"; rating?: number }) {
  const visitor = await db.visitor.create({ data: { brandId: alpha, name: "V" }, select: { id: true } });
  await db.chat.create({
    data: {
      brandId: alpha,
      visitorId: visitor.id,
      status: s.status,
      assigneeId: s.assignedAt ? agentA : null,
      rating: s.rating ?? null,
      queuedAt: at(s.queuedAt),
      assignedAt: s.assignedAt ? at(s.assignedAt) : null,
      endedAt: s.endedAt ? at(s.endedAt) : null,
      resolvedAt: s.status === "RESOLVED" && s.endedAt ? at(s.endedAt) : null,
      createdAt: at(s.queuedAt),
    },
  });
}

const scope = (f: ReportFilterInput, brandIds = [alpha, beta]) => resolveScope(db, { filters: reportFilterSchema.parse(f), brandIds, now: NOW });
const WEEK = { preset: "custom", from: "2026-11-16", to: "2026-11-22" } as const;

beforeAll(async () => {
  const hours = await db.businessHours.create({
    data: { name: "Alpha hours", timezone: "Europe/Istanbul", schedule: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]] } },
  });
  alpha = (await db.brand.create({ data: { slug: "alpha", name: "Alpha", timezone: "Europe/Istanbul", businessHoursId: hours.id } })).id;
  beta = (await db.brand.create({ data: { slug: "beta", name: "Beta", timezone: "UTC" } })).id;
  const role = await db.role.create({ data: { name: "Agent", builtIn: "AGENT", permissions: ["tickets.view"] } });
  agentA = (await db.user.create({ data: { email: "a@desk.test", name: "Agent A", roleId: role.id } })).id;
  agentB = (await db.user.create({ data: { email: "b@desk.test", name: "Agent B", roleId: role.id } })).id;
  groupG = (await db.group.create({ data: { name: "Group G" } })).id;
  await db.tag.createMany({ data: [{ name: "billing" }, { name: "urgent" }] });
  const question = await db.ticketType.create({ data: { brandId: alpha, name: "Question" } });
  standard = (await db.slaPolicy.create({ data: { name: "Standard", brandId: alpha } })).id;
  urgent = (await db.slaPolicy.create({ data: { name: "Urgent", brandId: alpha } })).id;

  // T1 Mon 10:00 local. An auto-reply (07:00:05Z) and a note (07:30Z) come before the agent's
  // reply at 08:00Z: first response 1 h (business 1 h). Resolved 10:00Z: 3 h (business 3 h).
  const t1 = await ticket({ key: "T1", createdAt: "2026-11-16T07:00:00Z", assigneeId: agentA, groupId: groupG, tags: ["billing"], typeId: question.id, policyId: standard, frDue: "2026-11-16T09:00:00Z", resDue: "2026-11-16T12:00:00Z" });
  await message(t1, "AUTO_REPLY", "2026-11-16T07:00:05Z");
  await message(t1, "NOTE", "2026-11-16T07:30:00Z", agentA);
  await message(t1, "REPLY", "2026-11-16T08:00:00Z", agentA);
  await resolveAt(t1, at("2026-11-16T10:00:00Z"));

  // T2 Fri 16:00 local, answered Sat 12:00 local: 20 h calendar, 1 h business (Fri 16–17; the weekend is closed).
  // Resolved Sun 13:00 local: 45 h calendar, still 1 h business. Its resolution target (Sat 08:00Z) was missed.
  const t2 = await ticket({ key: "T2", channel: "FORM", createdAt: "2026-11-20T13:00:00Z", assigneeId: agentA, priority: "HIGH", policyId: standard, frDue: "2026-11-23T07:00:00Z", resDue: "2026-11-21T08:00:00Z" });
  await message(t2, "REPLY", "2026-11-21T09:00:00Z", agentA);
  await resolveAt(t2, at("2026-11-22T10:00:00Z"));

  // T3 Tue 09:00 local, answered 1 h later (after its 30-minute target), resolved Tue, reopened by the
  // customer Wed 09:00 local, answered again, resolved Wed 11:00 local: 26 h calendar, 8 h + 2 h = 10 h business.
  const t3 = await ticket({ key: "T3", createdAt: "2026-11-17T06:00:00Z", assigneeId: agentB, groupId: groupG, priority: "HIGH", tags: ["billing", "urgent"], policyId: urgent, frDue: "2026-11-17T06:30:00Z", resDue: "2026-11-20T06:00:00Z" });
  await message(t3, "REPLY", "2026-11-17T07:00:00Z", agentB);
  await resolveAt(t3, at("2026-11-17T09:00:00Z"));
  await db.$transaction((tx) => receiveCustomerMessage(tx, t3, { html: null, text: "It broke again", createdAt: at("2026-11-18T06:00:00Z") }));
  await message(t3, "REPLY", "2026-11-18T07:00:00Z", agentB);
  await resolveAt(t3, at("2026-11-18T08:00:00Z"));

  // T4 Tue 21:30Z = Wed 00:30 local: counts on Wednesday. Open, never answered, first-response target passed.
  await ticket({ key: "T4", channel: "CHAT", createdAt: "2026-11-17T21:30:00Z", assigneeId: agentB, priority: "HIGH", policyId: urgent, frDue: "2026-11-18T06:00:00Z" });
  // T5 Sun 21:30Z = Mon 00:30 local: in the week. Agent-created (no first response time), open; resolution due in 1 h: at risk.
  await ticket({ key: "T5", channel: "AGENT", createdAt: "2026-11-15T21:30:00Z", priority: "LOW", policyId: standard, resDue: "2026-11-22T13:00:00Z" });
  // T6 Sun 21:30Z = Mon 11-23 00:30 local: after the week although its UTC day is in it. First response due in 30 min: at risk.
  await ticket({ key: "T6", createdAt: "2026-11-22T21:30:00Z", frDue: "2026-11-22T12:30:00Z" });
  // Previous week: T7 answered and resolved; T8 still open, its first-response target missed.
  const t7 = await ticket({ key: "T7", createdAt: "2026-11-10T07:00:00Z", assigneeId: agentA });
  await message(t7, "REPLY", "2026-11-10T08:00:00Z", agentA);
  await resolveAt(t7, at("2026-11-10T09:00:00Z"));
  await ticket({ key: "T8", createdAt: "2026-11-12T07:00:00Z", policyId: standard, frDue: "2026-11-12T08:00:00Z" });
  // Beta (UTC): Tue 22:30Z is still Tuesday there.
  await ticket({ key: "B1", brandId: beta, createdAt: "2026-11-17T22:30:00Z" });

  // Chats (Alpha): waits 30 s, 90 s, 120 s; durations 600 s, 1200 s, 1800 s; ratings 5, 3, 4; one missed
  // chat at Tue 22:00Z = Wed 01:00 local; one missed chat in the previous week.
  await chat({ queuedAt: "2026-11-16T07:00:00Z", assignedAt: "2026-11-16T07:00:30Z", endedAt: "2026-11-16T07:10:30Z", status: "RESOLVED", rating: 5 });
  await chat({ queuedAt: "2026-11-17T07:00:00Z", assignedAt: "2026-11-17T07:01:30Z", endedAt: "2026-11-17T07:21:30Z", status: "RESOLVED", rating: 3 });
  await chat({ queuedAt: "2026-11-17T22:00:00Z", endedAt: "2026-11-17T22:05:00Z", status: "MISSED" });
  await chat({ queuedAt: "2026-11-19T07:00:00Z", assignedAt: "2026-11-19T07:02:00Z", endedAt: "2026-11-19T07:32:00Z", status: "RESOLVED", rating: 4 });
  await chat({ queuedAt: "2026-11-10T07:00:00Z", endedAt: "2026-11-10T07:05:00Z", status: "MISSED" });
});

describe("R1 ticket analysis", () => {
  it("counts created and resolved per brand-local day, with the backlog at the end of each day", async () => {
    const r = await ticketAnalysis(db, await scope({ ...WEEK, brandId: alpha }));
    expect(r.range).toEqual({ from: "2026-11-16", to: "2026-11-22" });
    expect(r.previous).toEqual({ from: "2026-11-09", to: "2026-11-15" });
    // Created: Mon T1+T5, Tue T3, Wed T4 (UTC Tuesday), Fri T2; T6 is Monday 11-23 locally.
    // Resolved (last resolution): Mon T1, Wed T3, Sun T2. Backlog: T8 and T5 open from Monday, +T3 Tue,
    // T3 out and T4 in Wed, +T2 Fri, T2 out Sun.
    expect(r.days).toEqual([
      { day: "2026-11-16", created: 2, resolved: 1, backlog: 2 },
      { day: "2026-11-17", created: 1, resolved: 0, backlog: 3 },
      { day: "2026-11-18", created: 1, resolved: 1, backlog: 3 },
      { day: "2026-11-19", created: 0, resolved: 0, backlog: 3 },
      { day: "2026-11-20", created: 1, resolved: 0, backlog: 4 },
      { day: "2026-11-21", created: 0, resolved: 0, backlog: 4 },
      { day: "2026-11-22", created: 0, resolved: 1, backlog: 3 },
    ]);
    expect(r.totals).toEqual({ created: 5, resolved: 3, backlog: 3 });
    // Previous week: T7 and T8 created, T7 resolved; T8 open at its end.
    expect(r.previousTotals).toEqual({ created: 2, resolved: 1, backlog: 1 });
  });

  it("breaks the week's tickets down by channel, status, type, topic, brand and tag", async () => {
    const { breakdowns: b } = await ticketAnalysis(db, await scope({ ...WEEK, brandId: alpha }));
    const counts = (rows: { key: string | null; count: number }[]) => Object.fromEntries(rows.map((x) => [x.key ?? "none", x.count]));
    expect(counts(b.channel)).toEqual({ EMAIL: 2, FORM: 1, CHAT: 1, AGENT: 1 });
    expect(counts(b.status)).toEqual({ RESOLVED: 3, OPEN: 2 });
    expect(b.type.map((x) => [x.label, x.count])).toEqual([[null, 4], ["Question", 1]]);
    expect(counts(b.topic)).toEqual({ none: 5 });
    expect(b.brand.map((x) => [x.label, x.count])).toEqual([["Alpha", 5]]);
    expect(counts(b.tag)).toEqual({ billing: 2, urgent: 1 });
  });

  it("buckets each brand's tickets on its own calendar day, and filters by group", async () => {
    const all = await ticketAnalysis(db, await scope(WEEK));
    // Tuesday: Alpha's T3 and Beta's B1 (22:30 UTC); Wednesday: Alpha's T4 (00:30 Istanbul).
    expect(all.days.find((d) => d.day === "2026-11-17")!.created).toBe(2);
    expect(all.days.find((d) => d.day === "2026-11-18")!.created).toBe(1);
    expect(all.totals.created).toBe(6);
    const g = await ticketAnalysis(db, await scope({ ...WEEK, brandId: alpha, groupId: groupG }));
    expect(g.totals).toEqual({ created: 2, resolved: 2, backlog: 0 });
  });
});

describe("R2 agent and group performance", () => {
  it("first response excludes auto-replies, notes and agent-created tickets; business time skips the weekend", async () => {
    const r = await agentPerformance(db, await scope({ ...WEEK, brandId: alpha }));
    // T1 1 h (not the auto-reply's 5 s), T2 20 h (1 h business), T3 1 h.
    // p90 of [1 h, 1 h, 20 h] = 1 h + 0.8 × 19 h = 16.2 h = 58 320 s.
    expect(r.total.firstResponse).toEqual({ count: 3, median: H, p90: 58_320, businessMedian: H, businessP90: H });
    // Resolution: T1 3 h, T2 45 h, T3 26 h (reopen counts) → median 26 h, p90 26 h + 0.8 × 19 h = 41.2 h = 148 320 s.
    // Business: 3 h, 1 h, 10 h → median 3 h, p90 3 h + 0.8 × 7 h = 8.6 h = 30 960 s.
    expect(r.total.resolution).toEqual({ count: 3, median: 26 * H, p90: 148_320, businessMedian: 3 * H, businessP90: 30_960 });
    expect(r.total).toMatchObject({ replies: 5, ticketsHandled: 4, resolved: 3, reopened: 1 });
    expect(r.total.reopenRate).toBeCloseTo(1 / 3, 10);
  });

  it("gives each agent and group their own figures", async () => {
    const r = await agentPerformance(db, await scope({ ...WEEK, brandId: alpha }));
    const a = r.agents.find((x) => x.id === agentA)!;
    const b = r.agents.find((x) => x.id === agentB)!;
    // A: replies on T1, T2 and the agent-created T5; first responses 1 h and 20 h (p90 1 h + 0.9 × 19 h = 65 160 s);
    // resolutions 3 h and 45 h (p90 3 h + 0.9 × 42 h = 40.8 h = 146 880 s), business 3 h and 1 h (p90 1 h + 0.9 × 2 h = 10 080 s).
    expect(a).toMatchObject({ name: "Agent A", replies: 3, ticketsHandled: 3, resolved: 2, reopened: 0, reopenRate: 0 });
    expect(a.firstResponse).toEqual({ count: 2, median: 10.5 * H, p90: 65_160, businessMedian: H, businessP90: H });
    expect(a.resolution).toEqual({ count: 2, median: 24 * H, p90: 146_880, businessMedian: 2 * H, businessP90: 10_080 });
    // B: two replies on T3, which was reopened.
    expect(b).toMatchObject({ name: "Agent B", replies: 2, ticketsHandled: 1, resolved: 1, reopened: 1, reopenRate: 1 });
    expect(b.resolution).toMatchObject({ median: 26 * H, businessMedian: 10 * H });
    const g = r.groups.find((x) => x.id === groupG)!;
    expect(g).toMatchObject({ name: "Group G", replies: 3, ticketsHandled: 2, resolved: 2, reopened: 1 });
    expect(g.firstResponse).toMatchObject({ count: 2, median: H });
    const none = r.groups.find((x) => x.id === null)!;
    expect(none).toMatchObject({ replies: 2, ticketsHandled: 2, resolved: 1 });
    // Previous week: T7 answered in 1 h and resolved in 2 h by A.
    expect(r.previousTotal).toMatchObject({ replies: 1, resolved: 1, firstResponse: { count: 1, median: H }, resolution: { median: 2 * H } });
  });
});

describe("R3 chats", () => {
  it("counts chats per local day with median wait, duration, missed chats and ratings", async () => {
    const r = await chatReport(db, await scope({ ...WEEK, brandId: alpha }));
    expect(r.totals).toEqual({ chats: 4, answered: 3, missed: 1, medianWait: 90, medianDuration: 1200, rated: 3, averageRating: 4, csat: 2 / 3 });
    expect(r.days.slice(0, 4)).toEqual([
      { day: "2026-11-16", chats: 1, missed: 0 },
      { day: "2026-11-17", chats: 1, missed: 0 },
      { day: "2026-11-18", chats: 1, missed: 1 },
      { day: "2026-11-19", chats: 1, missed: 0 },
    ]);
    expect(r.ratings).toEqual([{ rating: 1, count: 0 }, { rating: 2, count: 0 }, { rating: 3, count: 1 }, { rating: 4, count: 1 }, { rating: 5, count: 1 }]);
    expect(r.previousTotals).toMatchObject({ chats: 1, missed: 1, answered: 0, medianWait: null });
  });
});

describe("R5 SLA", () => {
  it("counts met and breached targets by policy, priority and agent, and lists tickets at risk now", async () => {
    const r = await slaReport(db, await scope({ ...WEEK, brandId: alpha }));
    // T1 met; T2 resolution late; T3 answered late; T4 unanswered past due; T5 still running.
    expect(r.totals).toEqual({ tickets: 5, met: 1, breached: 3, metRate: 0.25, firstResponseBreached: 2, resolutionBreached: 1 });
    const pick = (rows: { label: string | null; met: number; breached: number; tickets: number }[]) => rows.map((x) => [x.label, x.tickets, x.met, x.breached]);
    expect(pick(r.byPolicy)).toEqual([["Urgent", 2, 0, 2], ["Standard", 3, 1, 1]]);
    expect(pick(r.byPriority)).toEqual([["HIGH", 3, 0, 3], ["MEDIUM", 1, 1, 0], ["LOW", 1, 0, 0]]);
    expect(pick(r.byAgent)).toEqual([["Agent B", 2, 0, 2], ["Agent A", 2, 1, 1], [null, 1, 0, 0]]);
    expect(r.previousTotals).toMatchObject({ tickets: 1, met: 0, breached: 1, metRate: 0 });
    expect(r.atRisk.map((x) => [x.number, x.target, x.dueAt.toISOString()])).toEqual([
      [numbers.T6, "firstResponse", "2026-11-22T12:30:00.000Z"],
      [numbers.T5, "resolution", "2026-11-22T13:00:00.000Z"],
    ]);
  });
});

async function csv(report: string, table: string, f: ReportFilterInput) {
  let out = "";
  for await (const chunk of reportCsv(db, { report, table, filters: reportFilterSchema.parse(f), brandIds: [alpha, beta], now: NOW })) out += chunk;
  return out.trimEnd().split("\r\n").map((l) => l.split(","));
}

describe("R6 CSV export", () => {
  it("writes a table with the same numbers as the report", async () => {
    const rows = await csv("tickets", "days", { ...WEEK, brandId: alpha });
    expect(rows[0]).toEqual(["day", "created", "resolved", "backlog"]);
    expect(rows.slice(1, 3)).toEqual([["2026-11-16", "2", "1", "2"], ["2026-11-17", "1", "0", "3"]]);
    const agents = await csv("agents", "agents", { ...WEEK, brandId: alpha });
    const a = agents.find((r) => r[0] === "Agent A")!;
    expect(a.slice(0, 5)).toEqual(["Agent A", "3", "3", "2", String(10.5 * H)]);
  });

  it("streams one row per ticket of the range, with durations by the definitions", async () => {
    const rows = await csv("tickets", "rows", { ...WEEK, brandId: alpha });
    expect(rows[0]).toEqual(["number", "day", "createdAt", "brand", "channel", "status", "priority", "assignee", "group", "firstResponseSeconds", "resolutionSeconds"]);
    // In creation order: T5 (Sun 21:30Z, Monday locally), T1, T3, T4, T2.
    expect(rows.slice(1).map((r) => [Number(r[0]), r[1], r[9], r[10]])).toEqual([
      [numbers.T5, "2026-11-16", "", ""],
      [numbers.T1, "2026-11-16", String(H), String(3 * H)],
      [numbers.T3, "2026-11-17", String(H), String(26 * H)],
      [numbers.T4, "2026-11-18", "", ""],
      [numbers.T2, "2026-11-20", String(20 * H), String(45 * H)],
    ]);
  });

  it("refuses an unknown report or table with a clear message", async () => {
    await expect(csv("nope", "days", WEEK)).rejects.toThrow("There is no report “nope”.");
    await expect(csv("tickets", "nope", WEEK)).rejects.toThrow("The tickets report has no table “nope”.");
  });

  it("quotes text and neutralises spreadsheet formulas", () => {
    expect(csvField('Say "hi", please')).toBe('"Say ""hi"", please"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(null)).toBe("");
  });
});

describe("R4 chat cockpit", () => {
  it("shows the queue, its oldest chat and each agent's status and active chats", async () => {
    const role = await db.role.create({ data: { name: "Chatter", permissions: ["chats.answer", "brands.all"] } });
    const c = await db.user.create({ data: { email: "c@desk.test", name: "Agent C", roleId: role.id, agentStatus: "ONLINE", agentStatusAt: at("2026-11-22T11:00:00Z") } });
    const visitor = await db.visitor.create({ data: { brandId: alpha } });
    await db.chat.createMany({
      data: [
        { brandId: alpha, visitorId: visitor.id, status: "QUEUED", queuedAt: at("2026-11-22T11:58:00Z") },
        { brandId: alpha, visitorId: visitor.id, status: "QUEUED", queuedAt: at("2026-11-22T11:55:00Z") },
        { brandId: alpha, visitorId: visitor.id, status: "ACTIVE", assigneeId: c.id, queuedAt: at("2026-11-22T11:00:00Z"), assignedAt: at("2026-11-22T11:01:00Z") },
      ],
    });
    const k = await chatCockpit(db, { brandIds: [alpha], now: NOW });
    expect(k).toMatchObject({ queueLength: 2, oldestQueuedAt: at("2026-11-22T11:55:00Z"), activeChats: 1 });
    expect(k.agents).toEqual([{ id: c.id, name: "Agent C", status: "ONLINE", since: at("2026-11-22T11:00:00Z"), activeChats: 1 }]);
  });
});

describe("drill-down to the inbox", () => {
  it("a day's bar opens the inbox on exactly that brand-local day's tickets", async () => {
    const inbox = async (params: Record<string, string>) => {
      const { filters, errors } = filtersFromParams(params);
      expect(errors).toEqual([]);
      const r = await listTickets(db, { filters, userId: agentA, brandIds: [alpha, beta], limit: 50 });
      return r.items.map((t) => t.number).sort((a, b) => a - b);
    };
    // Wednesday in Istanbul holds T4 (Tue 21:30 UTC); the UTC day would hold T3 and T4 instead.
    expect(await inbox({ brandId: alpha, createdFrom: "2026-11-18", createdTo: "2026-11-18", zone: "brand" })).toEqual([numbers.T4]);
    expect(await inbox({ brandId: alpha, createdFrom: "2026-11-17", createdTo: "2026-11-17" })).toEqual([numbers.T3, numbers.T4].sort((a, b) => a! - b!));
    // Monday: T5 (Sun 21:30 UTC) and T1, as on the report.
    expect(await inbox({ brandId: alpha, createdFrom: "2026-11-16", createdTo: "2026-11-16", zone: "brand" })).toEqual([numbers.T5, numbers.T1].sort((a, b) => a! - b!));
    expect(await inbox({ brandId: alpha, channel: "EMAIL", createdFrom: "2026-11-16", createdTo: "2026-11-22", zone: "brand" })).toEqual([numbers.T1, numbers.T3].sort((a, b) => a! - b!));
  });
});

describe("day rollup (ReportDayCount)", () => {
  it("kept by the triggers through every kind of write, it equals a recount from the tickets", async () => {
    const kept = () =>
      db.$queryRaw<unknown[]>`SELECT "brandId", metric, day::text AS day, "groupId", key, n FROM "ReportDayCount" WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5`;
    const recount = async () => {
      await db.$executeRaw`SELECT report_rollup_rebuild(NULL)`;
      return kept();
    };
    // Writes after the week above, on Beta: replies by two agents over two days, tags, group and
    // status changes, spam and back, a merge moving messages, a deleted message, tag and ticket.
    const x = await ticket({ key: "X1", brandId: beta, createdAt: "2026-11-19T10:00:00Z", tags: ["billing"] });
    const y = await ticket({ key: "X2", brandId: beta, createdAt: "2026-11-19T11:00:00Z", assigneeId: agentB, tags: ["urgent"] });
    await message(x, "REPLY", "2026-11-19T12:00:00Z", agentA);
    await message(x, "REPLY", "2026-11-20T12:00:00Z", agentA);
    await message(x, "REPLY", "2026-11-20T13:00:00Z", agentB);
    await message(y, "REPLY", "2026-11-21T09:00:00Z", agentB);
    await db.ticket.update({ where: { id: x }, data: { groupId: groupG, priority: "HIGH" } });
    await resolveAt(y, at("2026-11-21T10:00:00Z"));
    await db.ticket.update({ where: { id: y }, data: { state: "SPAM" } });
    await db.ticket.update({ where: { id: y }, data: { state: "ACTIVE" } });
    await db.message.updateMany({ where: { ticketId: y }, data: { ticketId: x } });
    await db.ticket.update({ where: { id: y }, data: { mergedIntoId: x, status: "CLOSED" } });
    const note = await db.message.findFirstOrThrow({ where: { ticketId: x, kind: "REPLY", authorId: agentB }, orderBy: { createdAt: "asc" } });
    await db.message.delete({ where: { id: note.id } });
    await db.ticketTag.deleteMany({ where: { ticketId: x } });
    const z = await ticket({ key: "X3", brandId: beta, createdAt: "2026-11-18T10:00:00Z", tags: ["billing", "urgent"] });
    await message(z, "REPLY", "2026-11-18T11:00:00Z", agentA);
    await db.ticket.delete({ where: { id: z } });
    // Created and changed (and one created and deleted) in one transaction: the insert's counts are
    // added at commit, after the changes took the inserted row's counts off.
    const beforeCommit = await db.$transaction(async (tx) => {
      const w = await createTicket(tx, { brandId: beta, channel: "FORM", subject: "Same transaction", customer: { email: "w@example.com" }, message: { kind: "CUSTOMER", html: null, text: "Hi", createdAt: at("2026-11-22T09:00:00Z") }, actor: CUSTOMER, tagIds: [] });
      await tx.ticket.update({ where: { id: w.id }, data: { status: "RESOLVED", resolvedAt: at("2026-11-22T10:00:00Z"), groupId: groupG, priority: "HIGH" } });
      const gone = await createTicket(tx, { brandId: beta, channel: "FORM", subject: "Gone again", customer: { email: "g@example.com" }, message: { kind: "CUSTOMER", html: null, text: "Hi", createdAt: at("2026-11-22T09:00:00Z") }, actor: CUSTOMER, tagIds: [] });
      await tx.ticket.delete({ where: { id: gone.id } });
      return { id: w.id, spans: await tx.reportSpan.count({ where: { ticketId: w.id } }) };
    });
    expect(beforeCommit.spans).toBe(1); // the update's own sync wrote the resolution span at once
    // …and the commit leaves it as the ticket is now, not as it was inserted.
    expect(await db.reportSpan.findMany({ where: { ticketId: beforeCommit.id }, select: { kind: true, groupId: true } })).toEqual([{ kind: 2, groupId: groupG }]);
    expect((await kept()).length).toBeGreaterThan(0);
    expect(await kept()).toEqual(await recount());
    // A brand's new time zone moves its days: recounted by the trigger on Brand.
    await db.brand.update({ where: { id: beta }, data: { timezone: "America/New_York" } });
    const afterZone = await kept();
    expect(afterZone).toEqual(await recount());
    await db.brand.update({ where: { id: beta }, data: { timezone: "UTC" } });
  });
});
