import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { updateTicket } from "@/lib/tickets/update";
import { bulkUpdate } from "@/lib/tickets/bulk";
import { ticketFilterSchema, type TicketFilters } from "@/lib/tickets/filters";
import { forgetSlaPolicies } from "@/lib/sla/ticket-sla";
import { forgetRules } from "@/lib/automation/engine";
import { forgetWebhookCache } from "@/lib/webhooks/emit";
import { callTrpc, sessionCookie, startTrpcServer } from "@/lib/test/http";
import type { Publication } from "@/lib/realtime/publish";
import { customerEmailTicket } from "@/lib/tickets/test-tickets";

// What the desks are told, and what the database said at that moment (read outside the bulk's transactions).
const published = vi.hoisted(() => [] as { items: Publication[]; committed: { id: number; state: string }[] }[]);
vi.mock("@/lib/realtime/publish", () => ({
  publish: async (items: Publication[]) => {
    const { db } = await import("@/lib/db");
    const ids = items.map((i) => (i.data as { id: number }).id);
    const committed = await db.ticket.findMany({ where: { id: { in: ids } }, select: { id: true, state: true } });
    published.push({ items, committed });
  },
}));

const MIN = 60_000;
let acme = "";
let support = "";
let ben: CurrentUser;
let ayse: CurrentUser;
let urgentPolicy = "";
let server: Awaited<ReturnType<typeof startTrpcServer>>;

async function asUser(email: string) {
  const u = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, sessionVersion: true } });
  return (await loadCurrentUser(db, u.id, u.sessionVersion))!;
}

const newTicket = (subject: string) => customerEmailTicket(db, { brandId: acme, subject, email: "bulk@example.com", name: "Bo Bulk" });

async function newTickets(n: number, subject: string) {
  const out: Awaited<ReturnType<typeof newTicket>>[] = [];
  for (let i = 0; i < n; i += 10) out.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => newTicket(`${subject} ${i + k + 1}`)))));
  return out;
}

const filters = (f: Partial<TicketFilters>) => ticketFilterSchema.parse(f);
const notifications = (ticketIds: number[]) => db.emailLog.findMany({ where: { ticketId: { in: ticketIds }, direction: "OUT", purpose: "NOTIFICATION" }, select: { ticketId: true, to: true } });

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  support = (await db.group.findUniqueOrThrow({ where: { name: "Support" } })).id;
  ben = await asUser("ben@acme.test");
  ayse = await asUser("ayse@acme.test");
  // Round-the-clock hours, so due times depend on the ticket and its policy alone.
  const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
  await db.slaPolicy.updateMany({ data: { active: false } });
  const allDay = (await db.businessHours.create({ data: { name: "24/7 bulk", timezone: "UTC", schedule: week } })).id;
  urgentPolicy = (await db.slaPolicy.create({ data: { name: "Urgent", brandId: acme, priority: "HIGHEST", firstResponseMinutes: 30, resolutionMinutes: 240, warnAtPercent: 50, businessHoursId: allDay, position: 0 } })).id;
  await db.slaPolicy.create({ data: { name: "Default", brandId: acme, firstResponseMinutes: 240, resolutionMinutes: 2880, warnAtPercent: 80, businessHoursId: allDay, position: 1 } });
  forgetSlaPolicies();
  server = await startTrpcServer();
});
afterAll(() => server?.close());
beforeEach(() => {
  published.length = 0;
});

describe("permissions per action", () => {
  it("refuses bulk trash to a role with tickets.bulk but not tickets.delete, over HTTP, and changes nothing", async () => {
    const role = await db.role.create({ data: { name: "Bulk editor", permissions: ["tickets.view", "tickets.update", "tickets.bulk"] } });
    const user = await db.user.create({ data: { email: "bulk-editor@acme.test", name: "Bea Bulk", roleId: role.id, groups: { create: { groupId: support } } }, select: { id: true, sessionVersion: true } });
    const cookie = await sessionCookie(user);
    const ts = await newTickets(2, "Keep me");
    const ticketIds = ts.map((t) => t.id);

    const refused = await callTrpc(server.url, "tickets.bulk", "mutation", { ticketIds, action: { type: "state", state: "TRASH" } }, cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.json.data.code).toBe("FORBIDDEN");
    expect(refused.body.error?.json.message).toContain("tickets.delete");
    const byFilter = await callTrpc(server.url, "tickets.bulk", "mutation", { filters: { q: "keep" }, action: { type: "state", state: "TRASH" } }, cookie);
    expect(byFilter.body.error?.json.data.code).toBe("FORBIDDEN");
    const assign = await callTrpc(server.url, "tickets.bulk", "mutation", { ticketIds, action: { type: "assign", assigneeId: user.id } }, cookie);
    expect(assign.body.error?.json.data.code).toBe("FORBIDDEN");

    const after = await db.ticket.findMany({ where: { id: { in: ticketIds } }, select: { state: true, assigneeId: true } });
    expect(after).toEqual([{ state: "ACTIVE", assigneeId: null }, { state: "ACTIVE", assigneeId: null }]);
    expect(await db.ticketEvent.count({ where: { ticketId: { in: ticketIds }, type: { in: ["TRASH", "ASSIGNEE"] } } })).toBe(0);

    // What the role does allow still works: the refusals above were about the action.
    const allowed = await callTrpc(server.url, "tickets.bulk", "mutation", { ticketIds, action: { type: "priority", priority: "HIGH" } }, cookie);
    expect(allowed.status).toBe(200);
    expect(allowed.body.result?.data.json).toMatchObject({ changed: 2 });
  });
});

describe("the same effects as one ticket at a time", () => {
  it("a bulk priority change re-computes SLA due times and their checks exactly as a single update does", async () => {
    const [single, ...bulk] = await newTickets(3, "Slow printer");
    // The same creation instant: due times then depend on the policy alone.
    const createdAt = new Date(Date.now() - 5 * MIN);
    await db.ticket.updateMany({ where: { id: { in: [single!.id, ...bulk.map((t) => t.id)] } }, data: { createdAt } });

    await updateTicket(db, ben, { number: single!.number, patch: { priority: "HIGHEST" } });
    const r = await bulkUpdate(db, ben, { ticketIds: bulk.map((t) => t.id), action: { type: "priority", priority: "HIGHEST" } });
    expect(r).toEqual({ matched: 2, changed: 2, skipped: 0 });

    const sla = (id: number) => db.ticket.findUniqueOrThrow({ where: { id }, select: { slaPolicyId: true, firstResponseDueAt: true, firstResponseWarnAt: true, resolutionDueAt: true, resolutionWarnAt: true } });
    const checks = async (id: number) =>
      (await db.$queryRaw<{ key: string; run_at: Date }[]>`SELECT key, run_at FROM graphile_worker.jobs WHERE key LIKE ${`sla:${id}:%`} ORDER BY key`).map((j) => ({ check: j.key.split(":").slice(2).join(":"), at: j.run_at.getTime() }));
    const expected = await sla(single!.id);
    expect(expected.slaPolicyId).toBe(urgentPolicy);
    expect(expected.firstResponseDueAt!.getTime()).toBe(createdAt.getTime() + 30 * MIN);
    const expectedChecks = await checks(single!.id);
    expect(expectedChecks).toHaveLength(4);
    for (const t of bulk) {
      expect(await sla(t.id)).toEqual(expected);
      expect(await checks(t.id)).toEqual(expectedChecks);
    }
  });

  it("runs the TICKET_UPDATED rules and queues the ticket.updated webhook for every changed ticket", async () => {
    const rule = await db.automationRule.create({
      data: { name: "Escalate", trigger: "TICKET_UPDATED", conditions: { match: "all", items: [{ field: "priority", op: "is", value: "HIGHEST" }] }, actions: [{ type: "add_tags", value: ["escalated"] }] },
    });
    const hook = await db.webhook.create({ data: { url: "https://hooks.example.com/in", secretEnc: "x", events: ["ticket.updated"] } });
    forgetRules();
    forgetWebhookCache();
    try {
      const ts = await newTickets(3, "Broken lamp");
      const ids = ts.map((t) => t.id);
      await bulkUpdate(db, ben, { ticketIds: ids, action: { type: "priority", priority: "HIGHEST" } }, { batchSize: 2 });
      const tagged = await db.ticketTag.findMany({ where: { ticketId: { in: ids }, tag: { name: "escalated" } }, select: { ticketId: true } });
      expect(tagged.map((t) => t.ticketId).sort()).toEqual([...ids].sort());
      const deliveries = await db.webhookDelivery.findMany({ where: { webhookId: hook.id }, select: { payload: true } });
      const priorityChanges = deliveries.flatMap((d) => {
        const p = d.payload as { ticket: { id: number }; changes: { type: string; to: string }[] };
        return p.changes.some((c) => c.type === "PRIORITY" && c.to === "HIGHEST") ? [p.ticket.id] : [];
      });
      expect(priorityChanges.sort()).toEqual([...ids].sort());
    } finally {
      await db.automationRule.delete({ where: { id: rule.id } });
      await db.webhook.delete({ where: { id: hook.id } });
      forgetRules();
      forgetWebhookCache();
    }
  });

  it("a bulk assign writes the ASSIGNED report event and the assignee's email, as a single assign does", async () => {
    const [single, ...bulk] = await newTickets(3, "Lost parcel");
    await updateTicket(db, ben, { number: single!.number, patch: { assigneeId: ayse.id, groupId: support } });
    const r = await bulkUpdate(db, ben, { ticketIds: bulk.map((t) => t.id), action: { type: "assign", assigneeId: ayse.id, groupId: support } });
    expect(r.changed).toBe(2);

    const reported = (id: number) => db.reportEvent.findMany({ where: { ticketId: id, type: "ASSIGNED" }, select: { brandId: true, userId: true, groupId: true } });
    const expected = await reported(single!.id);
    expect(expected).toEqual([{ brandId: acme, userId: ayse.id, groupId: support }]);
    for (const t of bulk) expect(await reported(t.id)).toEqual(expected);
    const mails = await notifications(bulk.map((t) => t.id));
    expect(mails.map((m) => m.to).sort()).toEqual([[ayse.email], [ayse.email]]);
  });

  it("unassigning emails nobody (not the whole group) and reports no assignment", async () => {
    const ts = await newTickets(2, "Unassign me");
    const ids = ts.map((t) => t.id);
    await bulkUpdate(db, ben, { ticketIds: ids, action: { type: "assign", assigneeId: ayse.id, groupId: support } });
    const mailsBefore = (await notifications(ids)).length;
    const reportsBefore = await db.reportEvent.count({ where: { ticketId: { in: ids }, type: "ASSIGNED" } });

    // Ayşe unassigns them: Ben, the Support group's other member, must not be mailed.
    const r = await bulkUpdate(db, ayse, { ticketIds: ids, action: { type: "assign", assigneeId: null } });
    expect(r.changed).toBe(2);
    expect(await db.ticket.findMany({ where: { id: { in: ids } }, select: { assigneeId: true, groupId: true } })).toEqual([
      { assigneeId: null, groupId: support },
      { assigneeId: null, groupId: support },
    ]);
    expect((await notifications(ids)).length).toBe(mailsBefore);
    expect(await db.reportEvent.count({ where: { ticketId: { in: ids }, type: "ASSIGNED" } })).toBe(reportsBefore);
  });
});

describe("all tickets matching a filter", () => {
  it("walks the whole match in batches, even when the change takes tickets out of the filter or moves them in its sort order", async () => {
    const ts = await newTickets(5, "Platypus");
    const ids = ts.map((t) => t.id);
    // Sorted by priority, a lowered ticket would move behind the walk's position and come round again.
    await db.ticket.updateMany({ where: { id: { in: ids } }, data: { priority: "HIGHEST" } });
    const lowered = await bulkUpdate(db, ben, { filters: filters({ q: "platypus", sort: "priority" }), action: { type: "priority", priority: "LOWEST" } }, { batchSize: 2 });
    expect(lowered).toEqual({ matched: 5, changed: 5, skipped: 0 });

    // Resolving takes each batch out of an "open" filter: no ticket may be passed over.
    const resolved = await bulkUpdate(db, ben, { filters: filters({ q: "platypus", status: ["OPEN"] }), action: { type: "status", status: "RESOLVED" } }, { batchSize: 2 });
    expect(resolved).toEqual({ matched: 5, changed: 5, skipped: 0 });
    expect(await db.ticket.count({ where: { id: { in: ids }, status: "RESOLVED" } })).toBe(5);
    expect(await db.ticketEvent.count({ where: { ticketId: { in: ids }, type: "STATUS", toValue: "RESOLVED" } })).toBe(5);
  });

  it("announces every changed ticket to the desks, after its batch has committed", async () => {
    const ts = await newTickets(205, "Announce");
    const ids = ts.map((t) => t.id);
    const r = await bulkUpdate(db, ben, { filters: filters({ q: "announce" }), action: { type: "state", state: "TRASH" } }, { batchSize: 100 });
    expect(r).toEqual({ matched: 205, changed: 205, skipped: 0 });

    const announced = published.flatMap((p) => p.items);
    expect(announced.map((p) => (p.data as { id: number }).id).sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    expect(announced.every((p) => p.event === "ticket.updated" && p.channel === `private-brand-${acme}`)).toBe(true);
    // Read outside the transaction when they were announced: already in Trash.
    expect(published.flatMap((p) => p.committed).every((t) => t.state === "TRASH")).toBe(true);
    expect(published.length).toBeGreaterThanOrEqual(3);
  });
});
