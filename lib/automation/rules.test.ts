import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { updateTicket } from "@/lib/tickets/update";
import { createRule, moveRule, previewRule, setRuleActive } from "@/lib/automation/rules";
import { conditionHolds, type Snapshot } from "@/lib/automation/engine";
import { runTimeRules } from "@/lib/automation/time-rules";
import type { RuleInput } from "@/lib/automation/schema";
import { forgetSlaPolicies } from "@/lib/sla/ticket-sla";

let acme = "";
let admin: CurrentUser;
let seq = 0;

const rule = (over: Partial<RuleInput>): RuleInput => ({ name: `Rule ${++seq}`, brandId: null, trigger: "TICKET_CREATED", conditions: { match: "all", items: [] }, actions: [{ type: "add_note", value: "x" }], active: true, ...over });

const newTicket = (subject: string, opts: { email?: string; body?: string; automated?: boolean; channel?: "EMAIL" | "FORM" } = {}) =>
  db.$transaction((tx) =>
    createTicket(tx, {
      brandId: acme,
      channel: opts.channel ?? "EMAIL",
      subject,
      customer: { email: opts.email ?? `c${++seq}@example.com`, name: "Cleo Customer" },
      message: { kind: "CUSTOMER", html: null, text: opts.body ?? "Hello", fromAddress: opts.email ?? "c@example.com", emailMessageId: `m${++seq}@example.com`, automated: opts.automated },
      actor: CUSTOMER,
    }),
  );

const ticket = (id: number) =>
  db.ticket.findUniqueOrThrow({ where: { id }, select: { priority: true, status: true, assigneeId: true, tags: { select: { tag: { select: { name: true } } } }, messages: { select: { kind: true, text: true }, orderBy: { id: "asc" } }, events: { where: { type: "RULE" }, select: { toValue: true, data: true } } } });

beforeAll(async () => {
  await seedDemo(db, { automations: true });
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  const u = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" }, select: { id: true, sessionVersion: true } });
  admin = (await loadCurrentUser(db, u.id, u.sessionVersion))!;
});

beforeEach(async () => {
  await db.automationRule.updateMany({ data: { active: false } });
  await db.automationRule.deleteMany({ where: { name: { startsWith: "Rule " } } });
  await db.rateLimitBucket.deleteMany();
  const { forgetRules } = await import("@/lib/automation/engine");
  forgetRules();
});

describe("conditions", () => {
  const snap = {
    subject: "Refund for order 42", channel: "EMAIL", status: "OPEN", priority: "MEDIUM", typeId: "t1", topicId: null, groupId: "g1", assigneeId: null,
    customer: { email: "ana@shop.example", name: "Ana", language: "tr", blocked: false }, language: "tr", tagNames: ["vip"], lastCustomer: { id: 1, text: "Please refund", automated: false, emailMessageId: null }, open: false,
  } as unknown as Snapshot;
  it.each([
    ["subject", "contains", "refund", true],
    ["subject", "not_contains", "refund", false],
    ["body", "contains", "PLEASE", true],
    ["senderEmail", "is", "ana@shop.example", true],
    ["senderDomain", "is", "shop.example", true],
    ["senderDomain", "is_not", "shop.example", false],
    ["channel", "is", "EMAIL", true],
    ["status", "is_not", "OPEN", false],
    ["priority", "is", "MEDIUM", true],
    ["typeId", "is", "t1", true],
    ["groupId", "is", "g2", false],
    ["assigneeId", "is", "", true],
    ["tag", "is", "vip", true],
    ["tag", "is", "gold", false],
    ["customerLanguage", "is", "tr", true],
    ["businessHours", "is", "closed", true],
  ] as const)("%s %s %s → %s", (field, op, value, expected) => {
    expect(conditionHolds(snap, { field, op, value })).toBe(expected);
  });
});

describe("rules on tickets", () => {
  it("acts on a matching new ticket (priority, tags, note) and logs itself in the history; others are left alone", async () => {
    await createRule(db, rule({
      name: "Rule urgent",
      conditions: { match: "any", items: [{ field: "subject", op: "contains", value: "urgent" }, { field: "body", op: "contains", value: "acil" }] },
      actions: [{ type: "set_priority", value: "HIGHEST" }, { type: "add_tags", value: ["urgent"] }, { type: "add_note", value: "Flagged by the urgency rule" }],
    }));
    const hit = await ticket((await newTicket("URGENT: site down")).id);
    expect(hit.priority).toBe("HIGHEST");
    expect(hit.tags.map((t) => t.tag.name)).toEqual(["urgent"]);
    expect(hit.messages.map((m) => m.kind)).toEqual(["CUSTOMER", "NOTE"]);
    expect(hit.events.map((e) => e.toValue)).toEqual(["Rule urgent"]);
    const turkish = await ticket((await newTicket("Sipariş", { body: "Çok acil lütfen" })).id);
    expect(turkish.priority).toBe("HIGHEST");
    const miss = await ticket((await newTicket("A calm question")).id);
    expect(miss.priority).toBe("MEDIUM");
    expect(miss.events).toHaveLength(0);
  });

  it("runs rules in order (the later one has the last word), and skips disabled ones", async () => {
    const a = await createRule(db, rule({ actions: [{ type: "set_priority", value: "LOW" }] }));
    await createRule(db, rule({ actions: [{ type: "set_priority", value: "HIGH" }] }));
    expect((await ticket((await newTicket("Order test")).id)).priority).toBe("HIGH");
    await moveRule(db, { id: a.id, direction: "down" });
    expect((await ticket((await newTicket("Order test 2")).id)).priority).toBe("LOW");
    await setRuleActive(db, { id: a.id, active: false });
    expect((await ticket((await newTicket("Order test 3")).id)).priority).toBe("HIGH");
  });

  it("reacts to updates, never retriggers itself, and a ping-pong pair stops", async () => {
    await createRule(db, rule({ name: "Rule ping", trigger: "TICKET_UPDATED", conditions: { match: "all", items: [{ field: "priority", op: "is", value: "HIGH" }] }, actions: [{ type: "set_priority", value: "LOW" }] }));
    await createRule(db, rule({ name: "Rule pong", trigger: "TICKET_UPDATED", conditions: { match: "all", items: [{ field: "priority", op: "is", value: "LOW" }] }, actions: [{ type: "set_priority", value: "HIGH" }] }));
    const t = await newTicket("Ping pong");
    await updateTicket(db, admin, { number: t.number, patch: { priority: "HIGH" } });
    const after = await ticket(t.id);
    // ping (HIGH → LOW) then pong (LOW → HIGH); neither runs twice in one chain.
    expect(after.events.map((e) => e.toValue)).toEqual(["Rule ping", "Rule pong"]);
    expect(after.priority).toBe("HIGH");
  });

  it("calls a registered webhook with the ticket, through the signed delivery queue", async () => {
    const { createWebhook } = await import("@/lib/webhooks/service");
    const hook = await createWebhook(db, { url: "http://127.0.0.1:9/hook", events: ["ticket.updated"] });
    await createRule(db, rule({ name: "Rule hook", actions: [{ type: "call_webhook", value: hook.id }] }));
    const t = await newTicket("Tell the warehouse");
    const d = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id, event: "rule" }, select: { id: true, payload: true } });
    expect(d.payload).toMatchObject({ rule: { name: "Rule hook" }, ticket: { number: t.number, subject: "Tell the warehouse" } });
    const jobs = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`webhook:${d.id}`}`;
    expect(jobs[0]!.n).toBe(1);
  });

  it("previews which recent tickets a rule would match, changing nothing", async () => {
    const subject = `Invoice copy ${Date.now()}`;
    const t = await newTicket(subject);
    const r = await previewRule(db, { rule: { brandId: acme, conditions: { match: "all", items: [{ field: "subject", op: "contains", value: subject.toLowerCase() }] } }, brandIds: admin.brandIds });
    expect(r.matches.map((m) => m.number)).toEqual([t.number]);
    expect((await ticket(t.id)).events).toHaveLength(0);
  });
});

describe("SLA", () => {
  it("a rule that raises a new ticket's priority gives it that priority's due times and checks", async () => {
    const MIN = 60_000;
    const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
    const hours = await db.businessHours.create({ data: { name: `sla always ${seq}`, timezone: "UTC", schedule: week }, select: { id: true } });
    const before = await db.slaPolicy.findMany({ where: { active: true }, select: { id: true } });
    await db.slaPolicy.updateMany({ data: { active: false } });
    await db.slaPolicy.createMany({
      data: [
        { name: "Rule SLA urgent", brandId: acme, priority: "HIGHEST", firstResponseMinutes: 30, resolutionMinutes: 240, warnAtPercent: 50, businessHoursId: hours.id, position: 0 },
        { name: "Rule SLA default", brandId: acme, firstResponseMinutes: 240, resolutionMinutes: 2880, warnAtPercent: 80, businessHoursId: hours.id, position: 1 },
      ],
    });
    forgetSlaPolicies();
    try {
      await createRule(db, rule({ conditions: { match: "all", items: [{ field: "subject", op: "contains", value: "outage" }] }, actions: [{ type: "set_priority", value: "HIGHEST" }] }));
      const due = async (id: number) => {
        const t = await db.ticket.findUniqueOrThrow({ where: { id }, select: { priority: true, createdAt: true, firstResponseDueAt: true, resolutionDueAt: true } });
        const jobs = await db.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`sla:${id}:first_response:breach`}`;
        return { priority: t.priority, firstResponse: (t.firstResponseDueAt!.getTime() - t.createdAt.getTime()) / MIN, resolution: (t.resolutionDueAt!.getTime() - t.createdAt.getTime()) / MIN, checks: jobs.map((j) => j.run_at.getTime() === t.firstResponseDueAt!.getTime()) };
      };
      expect(await due((await newTicket("Outage in Berlin")).id)).toEqual({ priority: "HIGHEST", firstResponse: 30, resolution: 240, checks: [true] });
      expect(await due((await newTicket("A calm question")).id)).toEqual({ priority: "MEDIUM", firstResponse: 240, resolution: 2880, checks: [true] });
    } finally {
      await db.slaPolicy.deleteMany({ where: { name: { startsWith: "Rule SLA" } } });
      await db.slaPolicy.updateMany({ where: { id: { in: before.map((p) => p.id) } }, data: { active: true } });
      forgetSlaPolicies();
    }
  });
});

describe("time since", () => {
  it("closes the loop on tickets pending for three days, once, and not on fresher ones", async () => {
    const word = `zz${Date.now()}`;
    await createRule(db, rule({
      name: "Rule stale pending",
      trigger: "TIME_ELAPSED",
      conditions: { match: "all", items: [{ field: "subject", op: "contains", value: word }, { field: "status", op: "is", value: "PENDING" }, { field: "hoursSinceUpdated", op: "more_than", value: "72" }] },
      actions: [{ type: "set_status", value: "RESOLVED" }, { type: "add_note", value: "Resolved after 3 days without an answer." }],
    }));
    const stale = await newTicket(`Waiting forever ${word}`);
    const fresh = await newTicket(`Waiting a bit ${word}`);
    await db.ticket.updateMany({ where: { id: { in: [stale.id, fresh.id] } }, data: { status: "PENDING" } });
    await db.ticket.update({ where: { id: stale.id }, data: { updatedAt: new Date(Date.now() - 73 * 3_600_000) } });
    await db.ticket.update({ where: { id: fresh.id }, data: { updatedAt: new Date(Date.now() - 10 * 3_600_000) } });

    expect((await runTimeRules(db)).acted).toBe(1);
    const s = await ticket(stale.id);
    expect(s.status).toBe("RESOLVED");
    expect(s.messages.filter((m) => m.kind === "NOTE").map((m) => m.text)).toEqual(["Resolved after 3 days without an answer."]);
    expect((await ticket(fresh.id)).status).toBe("PENDING");

    // Reopened by hand and left quiet again: the customer has not written since, so no second run.
    await db.ticket.update({ where: { id: stale.id }, data: { status: "PENDING", updatedAt: new Date(Date.now() - 80 * 3_600_000) } });
    expect((await runTimeRules(db)).acted).toBe(0);
  });

  it.each([
    ["hoursSinceUpdated", "more_than", "48", true],
    ["hoursSinceUpdated", "less_than", "48", false],
    ["hoursSinceCreated", "more_than", "abc", false],
  ] as const)("%s %s %s → %s", (field, op, value, expected) => {
    const s = { hoursSinceUpdated: 50, hoursSinceCreated: 100, hoursSinceCustomerMessage: 5 } as unknown as Snapshot;
    expect(conditionHolds(s, { field, op, value })).toBe(expected);
  });
});

describe("auto-assignment", () => {
  it("spreads 30 tickets 10/10/10 over the group's three online agents and skips the offline one", async () => {
    const roleId = (await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { roleId: true } })).roleId;
    const users = await Promise.all(["a", "b", "c", "d"].map((x) =>
      db.user.create({ data: { email: `rr-${x}-${Date.now()}@acme.test`, name: `RR ${x}`, roleId, agentStatus: x === "d" ? "OFFLINE" : "ONLINE" }, select: { id: true } }),
    ));
    const group = await db.group.create({ data: { name: `Round robin ${Date.now()}`, members: { create: users.map((u) => ({ userId: u.id })) }, brands: { create: [{ brandId: acme }] } }, select: { id: true } });
    await createRule(db, rule({ name: "Rule assign", actions: [{ type: "assign", value: "round_robin", groupId: group.id }] }));
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push((await newTicket(`Assign me ${i}`)).id);
    const counts = await db.ticket.groupBy({ by: ["assigneeId"], where: { id: { in: ids } }, _count: { _all: true } });
    const byUser = Object.fromEntries(counts.map((c) => [c.assigneeId, c._count._all]));
    expect(users.slice(0, 3).map((u) => byUser[u.id])).toEqual([10, 10, 10]);
    expect(byUser[users[3]!.id]).toBeUndefined();
  });

  it("takes turns exactly when tickets are created at the same time", async () => {
    const roleId = (await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { roleId: true } })).roleId;
    const users = await Promise.all(["a", "b", "c"].map((x) =>
      db.user.create({ data: { email: `rr2-${x}-${Date.now()}@acme.test`, name: `RR2 ${x}`, roleId, agentStatus: "ONLINE" }, select: { id: true } }),
    ));
    const group = await db.group.create({ data: { name: `Round robin at once ${Date.now()}`, members: { create: users.map((u) => ({ userId: u.id })) }, brands: { create: [{ brandId: acme }] } }, select: { id: true } });
    await createRule(db, rule({ name: "Rule assign at once", actions: [{ type: "assign", value: "round_robin", groupId: group.id }] }));
    // The group has never assigned anything: the first tickets race for its first turn too.
    const ids = (await Promise.all(Array.from({ length: 12 }, (_, i) => newTicket(`At once ${i}`)))).map((t) => t.id);
    const counts = await db.ticket.groupBy({ by: ["assigneeId"], where: { id: { in: ids } }, _count: { _all: true } });
    expect(Object.fromEntries(counts.map((c) => [c.assigneeId, c._count._all]))).toEqual(Object.fromEntries(users.map((u) => [u.id, 4])));
  });

  it("tells the agent a rule assigned the ticket to, by email in the ticket's transaction", async () => {
    const roleId = (await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { roleId: true } })).roleId;
    const agent = await db.user.create({ data: { email: `told-${Date.now()}@acme.test`, name: "Tess Told", roleId, agentStatus: "ONLINE" }, select: { id: true, email: true } });
    await createRule(db, rule({ name: "Rule assign Tess", actions: [{ type: "assign", value: agent.id }] }));
    const t = await newTicket("Assign me to Tess", { email: "cara@example.com" });
    expect((await ticket(t.id)).assigneeId).toBe(agent.id);
    const mails = await db.emailLog.findMany({ where: { ticketId: t.id, purpose: "NOTIFICATION" }, select: { to: true, subject: true, text: true } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([agent.email]);
    expect(`${mails[0]!.subject}\n${mails[0]!.text}`).toContain("Assign me to Tess");
    expect(mails[0]!.text).toContain("Rule assign Tess");
  });
});

describe("a pass's reads and writes", () => {
  const agents = async (tag: string, n: number) => {
    const roleId = (await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { roleId: true } })).roleId;
    const users = await Promise.all(Array.from({ length: n }, (_, i) => db.user.create({ data: { email: `${tag}-${i}-${Date.now()}@acme.test`, name: `${tag} ${i}`, roleId, agentStatus: "ONLINE" }, select: { id: true, email: true } })));
    const group = await db.group.create({ data: { name: `${tag} ${Date.now()}`, members: { create: users.map((u) => ({ userId: u.id })) }, brands: { create: [{ brandId: acme }] } }, select: { id: true } });
    return { users: users.sort((a, b) => (a.id < b.id ? -1 : 1)), group };
  };
  const mails = (ticketId: number) => db.emailLog.findMany({ where: { ticketId }, orderBy: { id: "asc" }, select: { purpose: true, status: true, to: true, messageId: true, error: true } });

  it("assigns in turn, notes, tags and answers in one pass, each email linked as before", async () => {
    const { users, group } = await agents("Pass", 2);
    await createRule(db, rule({ name: "Rule pass tag", actions: [{ type: "add_tags", value: ["pass"] }, { type: "add_note", value: "First note" }] }));
    await createRule(db, rule({ name: "Rule pass assign", actions: [{ type: "assign", value: "round_robin", groupId: group.id }] }));
    await createRule(db, rule({ name: "Rule pass reply", actions: [{ type: "auto_reply", open: "On it.", closed: "On it." }] }));
    const t1 = await newTicket("Pass one", { email: "pass1@example.com" });
    const t2 = await newTicket("Pass two", { email: "pass2@example.com" });
    const one = await ticket(t1.id);
    expect([one.assigneeId, (await ticket(t2.id)).assigneeId]).toEqual([users[0]!.id, users[1]!.id]);
    expect(one.tags.map((x) => x.tag.name)).toEqual(["pass"]);
    expect(one.messages.map((m) => m.kind)).toEqual(["CUSTOMER", "NOTE", "AUTO_REPLY"]);
    expect(one.events.map((e) => [e.toValue, (e.data as { actions: string[] }).actions])).toEqual([
      ["Rule pass tag", ["add_tags:pass", "add_note"]],
      ["Rule pass assign", [`assign:${users[0]!.id}`]],
      ["Rule pass reply", [expect.stringMatching(/^auto_reply:(open|closed)$/)]],
    ]);
    const reply = await db.message.findFirstOrThrow({ where: { ticketId: t1.id, kind: "AUTO_REPLY" }, select: { id: true } });
    expect(await mails(t1.id)).toEqual([
      { purpose: "AUTO_REPLY", status: "QUEUED", to: ["pass1@example.com"], messageId: reply.id, error: null },
      { purpose: "NOTIFICATION", status: "QUEUED", to: [users[0]!.email], messageId: null, error: null },
    ]);
    expect(await db.reportEvent.count({ where: { ticketId: t1.id, type: "ASSIGNED", userId: users[0]!.id } })).toBe(1);
  });

  it("a later rule that looks at the assignee sees the one just picked (the reads then go one by one)", async () => {
    const { users, group } = await agents("Look", 1);
    await createRule(db, rule({ name: "Rule look assign", actions: [{ type: "assign", value: "round_robin", groupId: group.id }] }));
    await createRule(db, rule({ name: "Rule look seen", conditions: { match: "all", items: [{ field: "assigneeId", op: "is", value: users[0]!.id }] }, actions: [{ type: "add_tags", value: ["seen-picked"] }] }));
    await createRule(db, rule({ name: "Rule look not", conditions: { match: "all", items: [{ field: "assigneeId", op: "is", value: "" }] }, actions: [{ type: "add_tags", value: ["unassigned"] }] }));
    await createRule(db, rule({ name: "Rule look reply", actions: [{ type: "auto_reply", open: "Hi.", closed: "Hi." }] }));
    const t = await newTicket("Look at me", { email: "look@example.com" });
    const after = await ticket(t.id);
    expect(after.assigneeId).toBe(users[0]!.id);
    expect(after.tags.map((x) => x.tag.name)).toEqual(["seen-picked"]);
    expect((await mails(t.id)).map((m) => [m.purpose, m.to])).toEqual([["AUTO_REPLY", ["look@example.com"]], ["NOTIFICATION", [users[0]!.email]]]);
  });

  it("an assignee on the outgoing-email filter gets no notice; the auto-reply still goes", async () => {
    const { addBlock } = await import("@/lib/mail/blocklist/service");
    const { users } = await agents("Filtered", 1);
    await addBlock(db, { pattern: users[0]!.email });
    await createRule(db, rule({ name: "Rule filtered assign", actions: [{ type: "assign", value: users[0]!.id }, { type: "auto_reply", open: "Hi.", closed: "Hi." }] }));
    const t = await newTicket("Filtered agent", { email: "filtered@example.com" });
    const reply = await db.message.findFirstOrThrow({ where: { ticketId: t.id, kind: "AUTO_REPLY" }, select: { id: true } });
    expect(await mails(t.id)).toEqual([
      { purpose: "AUTO_REPLY", status: "QUEUED", to: ["filtered@example.com"], messageId: reply.id, error: null },
      { purpose: "NOTIFICATION", status: "FAILED", to: [users[0]!.email], messageId: null, error: `Not sent to ${users[0]!.email.toLowerCase()}: on the outgoing-email filter` },
    ]);
  });

  it("two auto-replies in one pass both count against the sender's allowance", async () => {
    await createRule(db, rule({ name: "Rule twice a", actions: [{ type: "auto_reply", open: "A", closed: "A" }] }));
    await createRule(db, rule({ name: "Rule twice b", actions: [{ type: "auto_reply", open: "B", closed: "B" }] }));
    const sent = [];
    for (let i = 0; i < 2; i++) {
      const t = await newTicket(`Twice ${i}`, { email: "twice@example.com" });
      sent.push((await ticket(t.id)).events.map((e) => (e.data as { actions: string[] }).actions[0]!.replace(/:(open|closed)$/, "")));
    }
    expect(sent).toEqual([["auto_reply", "auto_reply"], ["auto_reply", "auto_reply:skipped (hourly limit)"]]);
  });
});

describe("a new ticket's rules planned before it is written", () => {
  /** Everything a created ticket and its rules leave behind, without ids, its number and times. */
  const outcome = async ({ id, number }: { id: number; number: number }) => {
    const t = await db.ticket.findUniqueOrThrow({
      where: { id },
      select: {
        status: true, priority: true, typeId: true, topicId: true, groupId: true, assigneeId: true, messageCount: true, snippet: true, slaPolicyId: true,
        createdAt: true, updatedAt: true, lastMessageAt: true, firstResponseDueAt: true, resolutionDueAt: true, resolvedAt: true, customerId: true,
        events: { orderBy: { id: "asc" }, select: { actorType: true, actorId: true, type: true, fromValue: true, toValue: true, data: true } },
        messages: { orderBy: { id: "asc" }, select: { kind: true, text: true, automated: true, deliveryStatus: true, to: true, customerId: true } },
        tags: { select: { tag: { select: { name: true } } } },
      },
    });
    const [sv] = await db.$queryRaw<{ sv: string }[]>`SELECT "searchVector"::text AS sv FROM "Ticket" WHERE id = ${id}`;
    const mails = await db.emailLog.findMany({ where: { ticketId: id }, orderBy: { id: "asc" }, select: { purpose: true, status: true, to: true, subject: true, message: { select: { kind: true } } } });
    const reports = await db.reportEvent.findMany({ where: { ticketId: id }, orderBy: { id: "asc" }, select: { type: true, userId: true, groupId: true } });
    const jobs = await db.$queryRaw<{ key: string }[]>`SELECT replace(key, ${`sla:${id}:`}, '') AS key FROM graphile_worker._private_jobs WHERE key LIKE ${`sla:${id}:%`} ORDER BY 1`;
    const ms = (d: Date | null) => (d ? d.getTime() - t.createdAt.getTime() : null);
    const unnumbered = <T,>(x: T): T => JSON.parse(JSON.stringify(x).replaceAll(`#${number}`, "#N").replaceAll(`'${number}'`, "'N'"));
    return unnumbered({
      ...t, createdAt: undefined, customerId: undefined,
      updatedAt: t.updatedAt.getTime() > t.createdAt.getTime(), lastMessageAt: t.lastMessageAt.getTime() > t.createdAt.getTime(),
      firstResponseDueAt: ms(t.firstResponseDueAt), resolutionDueAt: ms(t.resolutionDueAt), resolvedAt: t.resolvedAt !== null,
      tags: t.tags.map((x) => x.tag.name).sort(), sv: sv!.sv, mails, reports, jobs: jobs.map((j) => j.key),
      messages: t.messages.map((m) => ({ ...m, customerId: m.customerId === t.customerId })),
    });
  };

  it("leave the ticket as running them after its insert does (which a webhook on the creation still gets)", async () => {
    const { createWebhook, updateWebhook } = await import("@/lib/webhooks/service");
    const roleId = (await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { roleId: true } })).roleId;
    const agent = await db.user.create({ data: { email: `first-${Date.now()}@acme.test`, name: "Fay First", roleId, agentStatus: "ONLINE" }, select: { id: true } });
    const group = await db.group.create({ data: { name: `First ${Date.now()}`, members: { create: [{ userId: agent.id }] }, brands: { create: [{ brandId: acme }] } }, select: { id: true } });
    const tag = (name: string) => db.tag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
    const [vip, refund] = [await tag("vip"), await tag("refund")];
    await createRule(db, rule({ name: "Rule first email", conditions: { match: "all", items: [{ field: "channel", op: "is", value: "EMAIL" }] }, actions: [{ type: "set_priority", value: "HIGH" }, { type: "add_tags", value: ["first-pass", "vip"] }, { type: "remove_tags", value: ["refund"] }, { type: "add_note", value: "Noted first." }] }));
    await createRule(db, rule({ name: "Rule first assign", actions: [{ type: "assign", value: "round_robin", groupId: group.id }, { type: "set_status", value: "RESOLVED" }] }));
    await createRule(db, rule({ name: "Rule first reply", actions: [{ type: "auto_reply", open: "Got it, {{customer.name}}.", closed: "Got it later, {{customer.name}}." }] }));
    await createRule(db, rule({ name: "Rule first unknown", conditions: { match: "all", items: [{ field: "customerLanguage", op: "is", value: "tr" }] }, actions: [{ type: "add_tags", value: ["never"] }] }));
    const create = () =>
      db.$transaction((tx) =>
        createTicket(tx, {
          brandId: acme, channel: "EMAIL", subject: "Planned first", tagIds: [vip.id, refund.id],
          customer: { email: "first@example.com", name: "Finn First" },
          message: { kind: "CUSTOMER", html: null, text: "Please look at this first.", fromAddress: "first@example.com", emailMessageId: `first-${++seq}@example.com` },
          actor: CUSTOMER,
        }),
      );
    const first = await outcome(await create());
    // A webhook on the creation sees the ticket before the rules: the rules then run after the insert, as before.
    const hook = await createWebhook(db, { url: "http://127.0.0.1:9/hook", events: ["ticket.created"] });
    const after = await outcome(await create());
    await updateWebhook(db, { id: hook.id, active: false });
    // Due times count from when the rules ran: the same within the milliseconds between.
    const { firstResponseDueAt: fr1, resolutionDueAt: res1, ...rest1 } = first;
    const { firstResponseDueAt: fr2, resolutionDueAt: res2, ...rest2 } = after;
    expect(rest1).toEqual(rest2);
    expect(Math.abs(fr1! - fr2!)).toBeLessThan(5_000);
    expect(Math.abs(res1! - res2!)).toBeLessThan(5_000);
    expect(first).toMatchObject({ priority: "HIGH", status: "RESOLVED", assigneeId: agent.id, groupId: group.id, resolvedAt: true, tags: ["first-pass", "vip"], messageCount: 2 });
    expect(first.events.map((e) => `${e.actorType}:${e.type}`)).toEqual([
      "CUSTOMER:CREATED", "RULE:PRIORITY", "RULE:TAG_ADDED", "RULE:TAG_REMOVED", "RULE:RULE", "RULE:ASSIGNEE", "RULE:STATUS", "RULE:RULE", "RULE:RULE",
    ]);
    expect(first.messages.map((m) => m.kind)).toEqual(["CUSTOMER", "NOTE", "AUTO_REPLY"]);
    expect(first.mails.map((m) => [m.purpose, m.message?.kind ?? null])).toEqual([["AUTO_REPLY", "AUTO_REPLY"], ["NOTIFICATION", null]]);
    expect(first.reports.map((r) => r.type)).toEqual(["TICKET_CREATED", "ASSIGNED"]);
  });

  it("count the ticket's tags under the group the rules give it (and so does a later move)", async () => {
    const group = await db.group.create({ data: { name: `Tagged ${Date.now()}`, brands: { create: [{ brandId: acme }] } }, select: { id: true } });
    const other = await db.group.create({ data: { name: `Moved ${Date.now()}`, brands: { create: [{ brandId: acme }] } }, select: { id: true } });
    const tagName = `counted-${Date.now()}`;
    await createRule(db, rule({ name: "Rule count group", actions: [{ type: "set_group", value: group.id }, { type: "add_tags", value: [tagName] }] }));
    await createRule(db, rule({ name: "Rule count move", trigger: "TICKET_UPDATED", conditions: { match: "all", items: [{ field: "priority", op: "is", value: "LOW" }] }, actions: [{ type: "set_group", value: other.id }, { type: "add_tags", value: [`${tagName}-moved`] }] }));
    const t1 = await newTicket("Count my tags");
    const t2 = await newTicket("Count my tags too");
    await updateTicket(db, admin, { number: t2.number, patch: { priority: "LOW" } });
    const counted = await db.$queryRaw<{ name: string; groupId: string; n: number }[]>`
      SELECT tg.name, r."groupId", sum(r.n)::int AS n FROM "ReportDayCount" r JOIN "Tag" tg ON tg.id = r.key
      WHERE r.metric = 'tag' AND tg.name LIKE ${`${tagName}%`} GROUP BY 1, 2 HAVING sum(r.n) <> 0 ORDER BY 1, 2`;
    const actual = await db.$queryRaw<{ name: string; groupId: string; n: number }[]>`
      SELECT tg.name, coalesce(t."groupId", '') AS "groupId", count(*)::int AS n FROM "TicketTag" tt JOIN "Tag" tg ON tg.id = tt."tagId" JOIN "Ticket" t ON t.id = tt."ticketId"
      WHERE tg.name LIKE ${`${tagName}%`} GROUP BY 1, 2 ORDER BY 1, 2`;
    expect(counted).toEqual(actual);
    expect(actual).toEqual([{ name: tagName, groupId: group.id, n: 1 }, { name: tagName, groupId: other.id, n: 1 }, { name: `${tagName}-moved`, groupId: other.id, n: 1 }]);
    expect((await ticket(t1.id)).tags.map((x) => x.tag.name)).toEqual([tagName]);
  });
});

describe("auto-reply", () => {
  const reply = async (subject: string, opts: Parameters<typeof newTicket>[1] = {}) => {
    const t = await newTicket(subject, opts);
    return db.emailLog.findMany({ where: { ticketId: t.id, purpose: "AUTO_REPLY" }, select: { text: true, headers: true, to: true } });
  };

  it("answers with the open-hours text or the closed text, marked as automatic", async () => {
    await createRule(db, rule({ name: "Rule reply", actions: [{ type: "auto_reply", open: "We are on it.", closed: "We are closed; back tomorrow." }] }));
    const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
    const hours = await db.businessHours.create({ data: { name: `always ${seq}`, timezone: "UTC", schedule: week }, select: { id: true } });
    const original = (await db.brand.findUniqueOrThrow({ where: { id: acme }, select: { businessHoursId: true } })).businessHoursId;
    await db.brand.update({ where: { id: acme }, data: { businessHoursId: hours.id } });
    try {
      const [open] = await reply("Open hours");
      expect(open!.text).toContain("We are on it.");
      expect(open!.headers).toMatchObject({ "Auto-Submitted": "auto-replied" });
      const today = new Date().toISOString().slice(0, 10);
      await db.businessHours.update({ where: { id: hours.id }, data: { holidays: [{ date: today, recurring: false }, { date: new Date(Date.now() + 864e5).toISOString().slice(0, 10), recurring: false }] } });
      const [closed] = await reply("Closed hours");
      expect(closed!.text).toContain("We are closed; back tomorrow.");
    } finally {
      await db.brand.update({ where: { id: acme }, data: { businessHoursId: original } });
    }
  });

  it("the default rule answers new email, and not form tickets (they get their own confirmation)", async () => {
    await db.automationRule.updateMany({ where: { name: "Auto-reply to new email" }, data: { active: true } });
    const { forgetRules } = await import("@/lib/automation/engine");
    forgetRules();
    const [mail] = await reply("Default auto-reply", { email: "dee@example.com" });
    expect(mail!.to).toEqual(["dee@example.com"]);
    expect(mail!.text).toMatch(/Thanks for writing to Acme/);
    expect(await reply("From the form", { channel: "FORM" })).toHaveLength(0);
  });

  it("never answers machine-sent mail, and stops a chatty auto-responder after the hourly allowance", async () => {
    await createRule(db, rule({ name: "Rule reply 2", actions: [{ type: "auto_reply", open: "Thanks!", closed: "Thanks!" }] }));
    expect(await reply("Out of office", { automated: true })).toHaveLength(0);
    // Another help desk that does not mark its auto-replies: each of its answers is a new ticket here.
    const bot = "noreply-desk@other.example";
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push((await reply(`Ticket received ${i}`, { email: bot })).length);
    expect(sent).toEqual([1, 1, 1, 0, 0, 0]);
  });
});
