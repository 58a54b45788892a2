import { run, type Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { updateTicket } from "@/lib/tickets/update";
import { replyToTicket } from "@/lib/tickets/reply";
import { forgetSlaPolicies, syncTicketSla } from "@/lib/sla/ticket-sla";
import { createBusinessHours, updateBusinessHours } from "@/lib/business-hours/service";
import { runSlaCheck } from "@/lib/sla/sla-check";
import { taskList } from "@/workers/tasks";

let acme = "";
let ben: CurrentUser;
let allDay = "";
const MIN = 60_000;

async function asUser(email: string) {
  const u = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, sessionVersion: true } });
  return (await loadCurrentUser(db, u.id, u.sessionVersion))!;
}

const newTicket = (subject: string, priority: "LOW" | "HIGH" | "HIGHEST" = "LOW") =>
  db.$transaction((tx) =>
    createTicket(tx, {
      brandId: acme,
      channel: "EMAIL",
      subject,
      priority,
      assigneeId: ben.id,
      customer: { email: "sla@example.com", name: "Sam SLA" },
      message: { kind: "CUSTOMER", html: "<p>Help</p>", text: "Help", fromAddress: "sla@example.com" },
      actor: CUSTOMER,
    }),
  );

const sla = (id: number) =>
  db.ticket.findUniqueOrThrow({ where: { id }, select: { slaPolicyId: true, firstResponseDueAt: true, firstResponseWarnAt: true, resolutionDueAt: true, slaPausedAt: true, slaBreachedAt: true, createdAt: true } });

const jobRunAt = async (key: string) => (await db.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${key}`)[0]?.run_at ?? null;

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  ben = await asUser("ben@acme.test");
  const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
  await db.slaPolicy.updateMany({ data: { active: false } }); // the demo's own policies
  allDay = (await db.businessHours.create({ data: { name: "24/7", timezone: "UTC", schedule: week } })).id;
  await db.slaPolicy.createMany({
    data: [
      { name: "Urgent", brandId: acme, priority: "HIGHEST", firstResponseMinutes: 30, resolutionMinutes: 240, warnAtPercent: 50, businessHoursId: allDay, position: 0 },
      { name: "Default", brandId: acme, firstResponseMinutes: 240, resolutionMinutes: 2880, warnAtPercent: 80, businessHoursId: allDay, position: 1 },
    ],
  });
  forgetSlaPolicies();
});

describe("SLA due times", () => {
  it("follows the brand's business hours as soon as they are edited, though they are cached", async () => {
    const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]])) as never;
    const original = (await db.brand.findUniqueOrThrow({ where: { id: acme }, select: { businessHoursId: true } })).businessHoursId;
    const policy = await db.slaPolicy.create({ data: { name: "Brand hours", brandId: acme, priority: "HIGH", firstResponseMinutes: 60, warnAtPercent: 80, position: -1 }, select: { id: true } });
    forgetSlaPolicies();
    const { id } = await createBusinessHours(db, { name: "Brand calendar", timezone: "UTC", schedule: week, holidays: [], brandIds: [acme] });
    try {
      const open = await sla((await newTicket("Brand hours, open", "HIGH")).id);
      expect(open.slaPolicyId).toBe(policy.id);
      expect(open.firstResponseDueAt!.getTime() - open.createdAt.getTime()).toBe(60 * MIN);
      // Today and tomorrow become holidays: the hour starts the day after.
      const day = (n: number) => new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);
      await updateBusinessHours(db, { id, name: "Brand calendar", timezone: "UTC", schedule: week, holidays: [{ date: day(0), recurring: false }, { date: day(1), recurring: false }], brandIds: [acme] });
      const closed = await sla((await newTicket("Brand hours, closed", "HIGH")).id);
      expect(closed.firstResponseDueAt!.getTime()).toBe(new Date(`${day(2)}T01:00:00.000Z`).getTime());
    } finally {
      await db.brand.update({ where: { id: acme }, data: { businessHoursId: original } });
      await db.slaPolicy.delete({ where: { id: policy.id } });
      forgetSlaPolicies();
    }
  });

  it("stores due and warning times at creation from the first matching policy and schedules both checks", async () => {
    const t = await newTicket("Slow printer");
    const s = await sla(t.id);
    const created = s.createdAt.getTime();
    expect(s.firstResponseDueAt!.getTime() - created).toBe(240 * MIN);
    expect(s.firstResponseWarnAt!.getTime() - created).toBe(192 * MIN);
    expect(s.resolutionDueAt!.getTime() - created).toBe(2880 * MIN);
    expect((await jobRunAt(`sla:${t.id}:first_response:breach`))!.getTime()).toBe(s.firstResponseDueAt!.getTime());
    expect((await jobRunAt(`sla:${t.id}:resolution:warn`))!.getTime()).toBe(created + 2304 * MIN);
  });

  it("moves the due times and the scheduled checks when the priority changes", async () => {
    const t = await newTicket("Getting worse");
    await updateTicket(db, ben, { number: t.number, patch: { priority: "HIGHEST" } });
    const s = await sla(t.id);
    expect(s.firstResponseDueAt!.getTime() - s.createdAt.getTime()).toBe(30 * MIN);
    expect((await jobRunAt(`sla:${t.id}:first_response:breach`))!.getTime()).toBe(s.firstResponseDueAt!.getTime());
    const keys = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`sla:${t.id}:first_response:breach`}`;
    expect(keys[0]!.n).toBe(1);
  });

  it("stops the clock while Pending and pushes the due time back by the paused time", async () => {
    const t = await newTicket("Waiting on customer");
    const before = await sla(t.id);
    await updateTicket(db, ben, { number: t.number, patch: { status: "PENDING" } });
    const paused = await sla(t.id);
    expect(paused.slaPausedAt).not.toBeNull();
    expect(paused.resolutionDueAt).toBeNull(); // undetermined while paused
    expect(await jobRunAt(`sla:${t.id}:resolution:breach`)).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    await updateTicket(db, ben, { number: t.number, patch: { status: "OPEN" } });
    const resumed = await sla(t.id);
    expect(resumed.slaPausedAt).toBeNull();
    const shift = resumed.resolutionDueAt!.getTime() - before.resolutionDueAt!.getTime();
    expect(shift).toBeGreaterThanOrEqual(300);
    expect(shift).toBeLessThan(5_000);
  });

  it("drops the policy when no policy matches any more", async () => {
    await db.slaPolicy.updateMany({ data: { active: false } });
    forgetSlaPolicies();
    try {
      const t = await newTicket("No SLA");
      expect(await sla(t.id)).toMatchObject({ slaPolicyId: null, firstResponseDueAt: null, resolutionDueAt: null });
    } finally {
      await db.slaPolicy.updateMany({ where: { name: { in: ["Urgent", "Default"] } }, data: { active: true } });
      forgetSlaPolicies();
    }
  });
});

describe("SLA checks", () => {
  let runner: Runner | undefined;
  afterAll(async () => runner?.stop());

  it("fires the breach at the due time through the job queue — not before — and tells the assignee once", async () => {
    const t = await newTicket("About to breach", "HIGHEST");
    // Back-date the ticket so its 30-minute first response falls due in a moment.
    const createdAt = new Date(Date.now() - 30 * MIN + 1_500);
    await db.ticket.update({ where: { id: t.id }, data: { createdAt } });
    await db.$transaction((tx) => syncTicketSla(tx, t.id));
    const dueAt = (await sla(t.id)).firstResponseDueAt!;
    expect(dueAt.getTime()).toBe(createdAt.getTime() + 30 * MIN);

    runner = await run({ connectionString: env.DATABASE_URL, taskList: taskList(db), concurrency: 2, pollInterval: 100, noHandleSignals: true });
    const end = Date.now() + 30_000;
    let breach = null;
    while (!breach && Date.now() < end) {
      breach = await db.ticketEvent.findFirst({ where: { ticketId: t.id, type: "SLA_BREACH", toValue: "first_response" }, select: { createdAt: true } });
      if (!breach) await new Promise((r) => setTimeout(r, 100));
    }
    expect(breach).not.toBeNull();
    expect(breach!.createdAt.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect((await sla(t.id)).slaBreachedAt).not.toBeNull();
    const note = await db.notification.findFirst({ where: { userId: ben.id, kind: "sla.breach", link: `/tickets/${t.number}` }, select: { title: true } });
    expect(note?.title).toContain(`#${t.number}`);
    expect(await db.emailLog.count({ where: { ticketId: t.id, purpose: "SLA", to: { has: "ben@acme.test" } } })).toBeGreaterThanOrEqual(1);
    expect(await db.reportEvent.count({ where: { ticketId: t.id, type: "SLA_BREACHED" } })).toBe(1);

    // The same check again (a retry) does not notify twice.
    const again = await runSlaCheck(db, { ticketId: t.id, kind: "first_response", phase: "breach", at: dueAt.toISOString() });
    expect(again.acted).toBe(false);
  }, 60_000);

  it("does nothing when the due time moved, or the target was met in time", async () => {
    const t = await newTicket("Answered quickly");
    const s = await sla(t.id);
    const stale = await runSlaCheck(db, { ticketId: t.id, kind: "first_response", phase: "breach", at: new Date(s.firstResponseDueAt!.getTime() - MIN).toISOString() }, new Date(s.firstResponseDueAt!.getTime() + MIN));
    expect(stale).toMatchObject({ acted: false, why: "moved" });
    await replyToTicket(db, ben, { number: t.number, kind: "REPLY", html: "<p>On it</p>" });
    const met = await runSlaCheck(db, { ticketId: t.id, kind: "first_response", phase: "breach", at: s.firstResponseDueAt!.toISOString() }, new Date(s.firstResponseDueAt!.getTime() + MIN));
    expect(met).toMatchObject({ acted: false, why: "met" });
    expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "SLA_BREACH" } })).toBe(0);
  });
});
