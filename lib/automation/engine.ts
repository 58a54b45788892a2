import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma, type Channel, type Priority, type TicketStatus } from "@/lib/generated/prisma/client";
import { AUTO_REPLY_LIMIT, blockedAddressSql } from "@/lib/mail/loop-guard";
import { countHit } from "@/lib/ratelimit/service";
import { enqueueEmails, enqueueEmailsSql, type EnqueuedRow, type OutgoingEmail, type StatementEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate, type TemplateData } from "@/lib/mail/templates/render";
import { businessCalendarOf } from "@/lib/sla/business-hours";
import type { BusinessHours } from "@/lib/sla/schedule-schema";
import type { EventInput } from "@/lib/tickets/events";
import { emitMessageCreated, isPublic, snippetOf, type NewMessage } from "@/lib/tickets/messages";
import { assignmentContextSql, assignmentEmails, type AssignmentContext } from "@/lib/tickets/notify";
import { MAX_TEXT } from "@/lib/tickets/search";
import { normalizeTag } from "@/lib/tickets/tags";
import { affectsSla, newTicketSla, syncTicketSla } from "@/lib/sla/ticket-sla";
import { actionsSchema, conditionsSchema, HOUR_FIELDS, type Action, type Condition, type Conditions, type Trigger } from "@/lib/automation/schema";
import { pickAssignee, roundRobinSql } from "@/lib/automation/assign";
import { forgetKept, kept } from "@/lib/kept-config";
import { emitWebhookEvent, enqueueWebhookDelivery, ticketPayload } from "@/lib/webhooks/emit";

export type Rule = { id: string; name: string; brandId: string | null; trigger: Trigger; conditions: Conditions; actions: Action[] };

export const forgetRules = () => forgetKept("rules");

/** Active rules in order, read and parsed once until they change (lib/kept-config). */
export function activeRules(tx: Tx): Promise<Rule[]> {
  return kept("rules", () => readActiveRules(tx));
}

async function readActiveRules(tx: Tx): Promise<Rule[]> {
  const rows = await tx.automationRule.findMany({ where: { active: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true, name: true, brandId: true, trigger: true, conditions: true, actions: true } });
  const rules = rows.flatMap((r) => {
    const c = conditionsSchema.safeParse(r.conditions);
    const a = actionsSchema.safeParse(r.actions);
    // A rule stored in an older format is skipped rather than breaking every ticket change.
    return c.success && a.success ? [{ ...r, trigger: r.trigger as Trigger, conditions: c.data, actions: a.data }] : [];
  });
  return rules;
}

export type Snapshot = ReturnType<typeof snapshotOf>;

export type SnapshotRow = {
  id: number; number: number; subject: string; brandId: string; channel: Channel; status: TicketStatus; priority: Priority;
  typeId: string | null; topicId: string | null; groupId: string | null; assigneeId: string | null; customerId: string; language: string | null;
  createdAt: Date; updatedAt: Date; lastCustomerAt: Date | null; lastMessageAt: Date; firstResponseAt: Date | null; slaPolicyId: string | null;
  cEmail: string | null; cName: string | null; cLanguage: string | null; cBlocked: boolean;
  bName: string; bLanguage: string | null; bSettings: Prisma.JsonValue | null; hoursId: string | null; timezone: string | null; schedule: unknown; holidays: unknown;
  tagNames: string[];
  lmId: number | null; lmText: string | null; lmAutomated: boolean | null; lmEmailMessageId: string | null;
};

/** What rules look at: the ticket with its customer, tags, brand hours and last customer message, in one round trip. */
export async function snapshot(tx: Tx, ticketId: number, now = new Date()) {
  const rows = await tx.$queryRaw<SnapshotRow[]>`
    SELECT t.id, t.number, t.subject, t."brandId", t.channel::text AS channel, t.status::text AS status, t.priority::text AS priority,
           t."typeId", t."topicId", t."groupId", t."assigneeId", t."customerId", t.language, t."createdAt", t."updatedAt", t."lastCustomerAt", t."lastMessageAt", t."firstResponseAt", t."slaPolicyId",
           c.email AS "cEmail", c.name AS "cName", c.language AS "cLanguage", c.blocked AS "cBlocked",
           b.name AS "bName", b."defaultLanguage" AS "bLanguage", b.settings AS "bSettings", bh.id AS "hoursId", bh.timezone, bh.schedule, bh.holidays,
           ARRAY(SELECT tg.name FROM "TicketTag" tt JOIN "Tag" tg ON tg.id = tt."tagId" WHERE tt."ticketId" = t.id) AS "tagNames",
           lm.id AS "lmId", lm.text AS "lmText", lm.automated AS "lmAutomated", lm."emailMessageId" AS "lmEmailMessageId"
    FROM "Ticket" t
    JOIN "Customer" c ON c.id = t."customerId"
    JOIN "Brand" b ON b.id = t."brandId"
    LEFT JOIN "BusinessHours" bh ON bh.id = b."businessHoursId"
    LEFT JOIN LATERAL (SELECT m.id, m.text, m.automated, m."emailMessageId" FROM "Message" m WHERE m."ticketId" = t.id AND m.kind = 'CUSTOMER' ORDER BY m.id DESC LIMIT 1) lm ON true
    WHERE t.id = ${ticketId}`;
  const r = rows[0];
  if (!r) throw new Prisma.PrismaClientKnownRequestError(`Ticket ${ticketId} not found`, { code: "P2025", clientVersion: Prisma.prismaVersion.client });
  return snapshotOf(r, now);
}

/** The snapshot of a ticket as read by `snapshot` (or as known by the statement that just wrote it). */
export function snapshotOf(r: SnapshotRow, now = new Date()) {
  const t = {
    id: r.id, number: r.number, subject: r.subject, brandId: r.brandId, channel: r.channel, status: r.status, priority: r.priority,
    typeId: r.typeId, topicId: r.topicId, groupId: r.groupId, assigneeId: r.assigneeId, customerId: r.customerId, language: r.language,
    createdAt: r.createdAt, updatedAt: r.updatedAt, lastCustomerAt: r.lastCustomerAt, lastMessageAt: r.lastMessageAt, firstResponseAt: r.firstResponseAt, slaPolicyId: r.slaPolicyId,
    customer: { email: r.cEmail, name: r.cName, language: r.cLanguage, blocked: r.cBlocked },
    brand: { name: r.bName, defaultLanguage: r.bLanguage, settings: r.bSettings, businessHours: r.hoursId ? { timezone: r.timezone, schedule: r.schedule, holidays: r.holidays } : null },
    messages: r.lmId === null ? [] : [{ id: r.lmId, text: r.lmText ?? "", automated: r.lmAutomated ?? false, emailMessageId: r.lmEmailMessageId }],
  };
  let open: boolean;
  try {
    open = t.brand.businessHours ? businessCalendarOf(t.brand.businessHours as BusinessHours).isOpen(now) : true;
  } catch {
    // A calendar without open time counts as closed.
    open = false;
  }
  const hours = (d: Date | null) => (d ? (now.getTime() - d.getTime()) / 3_600_000 : null);
  return { ...t, tagNames: r.tagNames, lastCustomer: t.messages[0] ?? null, open, hoursSinceCreated: hours(t.createdAt), hoursSinceUpdated: hours(t.updatedAt), hoursSinceCustomerMessage: hours(t.lastCustomerAt ?? t.createdAt) };
}

function fieldValue(s: Snapshot, field: Condition["field"]): string | string[] | null {
  switch (field) {
    case "subject": return s.subject;
    case "body": return s.lastCustomer?.text ?? "";
    case "senderEmail": return s.customer?.email ?? "";
    case "senderDomain": return (s.customer?.email ?? "").split("@")[1] ?? "";
    case "tag": return s.tagNames;
    case "customerLanguage": return s.customer?.language ?? s.language ?? "";
    case "businessHours": return s.open ? "open" : "closed";
    default: return (s[field as "channel"] as string | null) ?? "";
  }
}

export function conditionHolds(s: Snapshot, c: Condition): boolean {
  if (HOUR_FIELDS.includes(c.field)) {
    const h = s[c.field as "hoursSinceCreated"];
    const limit = Number(c.value);
    if (h === null || !Number.isFinite(limit)) return false;
    if (c.op === "more_than") return h > limit;
    if (c.op === "less_than") return h < limit;
    return false;
  }
  const v = fieldValue(s, c.field);
  const want = c.value.toLowerCase();
  const values = (Array.isArray(v) ? v : [v ?? ""]).map((x) => x.toLowerCase());
  switch (c.op) {
    case "is": return values.includes(want);
    case "is_not": return !values.includes(want);
    case "contains": return values.some((x) => x.includes(want));
    case "not_contains": return !values.some((x) => x.includes(want));
    default: return false;
  }
}

export function matches(s: Snapshot, c: Conditions): boolean {
  if (!c.items.length) return true;
  return c.match === "all" ? c.items.every((i) => conditionHolds(s, i)) : c.items.some((i) => conditionHolds(s, i));
}

/** Ticket columns a caller knows exactly (a ticket it has just written). */
export type Known = Partial<Pick<Snapshot, "brandId" | "subject" | "channel" | "status" | "priority" | "typeId" | "topicId" | "groupId" | "assigneeId">>;
const KNOWN_FIELDS: readonly string[] = ["subject", "channel", "status", "priority", "typeId", "topicId", "groupId", "assigneeId"];

/** False when the known columns already decide that the conditions cannot hold (the others may still be anything). */
function mayMatch(known: Known, c: Conditions): boolean {
  if (!c.items.length) return true;
  const verdicts = c.items.map((i) => (KNOWN_FIELDS.includes(i.field) && i.field in known ? conditionHolds(known as Snapshot, i) : null));
  return c.match === "all" ? !verdicts.includes(false) : verdicts.some((v) => v !== false);
}

const mayMatchAny = (rules: Rule[], known: Known) => rules.some((r) => (!r.brandId || known.brandId === undefined || r.brandId === known.brandId) && mayMatch(known, r.conditions));

/**
 * Whether runRules would read this ticket: a caller about to write it can then have the
 * writing statement return what the snapshot needs, and pass it in.
 */
export async function rulesNeedSnapshot(tx: Tx, trigger: Trigger, known: Known): Promise<boolean> {
  return mayMatchAny((await activeRules(tx)).filter((r) => r.trigger === trigger), known);
}

/** A rule that changes a ticket runs the "updated" rules again, up to this depth (never itself twice). */
export const MAX_CHAIN_DEPTH = 3;

/**
 * A6: the brand's active rules for this trigger, in order, inside the caller's
 * transaction — so a ticket and every rule's change commit together or not at all.
 * Every rule that acts leaves a RULE entry in the ticket history. `known`: columns the
 * caller has just written, to skip reading the ticket when no rule can match them.
 *
 * The rules are evaluated in memory against one snapshot (later rules see what earlier
 * ones changed); what they do is written at the end of the pass: the ticket row once,
 * the history in one multi-row insert, tags, notes and auto-replies with it.
 */
export async function runRules(tx: Tx, ticketId: number, trigger: Trigger, chain: { depth: number; fired: Set<string> } = { depth: 0, fired: new Set() }, known?: Known, given?: Snapshot) {
  const rules = (await activeRules(tx)).filter((r) => r.trigger === trigger && !chain.fired.has(r.id));
  if (!rules.length) return;
  // When what the caller knows already rules every one of them out, the ticket is not even read.
  if (!given && known && !mayMatchAny(rules, known)) return;
  const s = given ?? (await snapshot(tx, ticketId));
  // What the actions will read is found by a dry run of the pass, and read in one statement.
  const reads = await dryRun(tx, s, rules, trigger);
  const io = reads?.length ? await prefetch(tx, s, reads) : readNow(tx, s);
  const plan = newPlan(s, trigger);
  const changed = await planPass(tx, io, plan, rules, chain.fired);
  await writePlan(tx, plan);
  if (changed && chain.depth + 1 < MAX_CHAIN_DEPTH) await runRules(tx, ticketId, "TICKET_UPDATED", { depth: chain.depth + 1, fired: chain.fired });
}

/** Plans the matching rules in order; true when they changed what rules look at. */
async function planPass(tx: Tx, io: Io, p: Plan, rules: Rule[], fired?: Set<string>): Promise<boolean> {
  let changed = false;
  for (const rule of rules) {
    if (rule.brandId && rule.brandId !== p.s.brandId) continue;
    // A dry run cannot tell whether an assignee it has not picked yet matches.
    if (io.dry && p.s.assigneeId === PICKED && rule.conditions.items.some((c) => c.field === "assigneeId")) throw NOT_BATCHED;
    if (!matches(p.s, rule.conditions)) continue;
    fired?.add(rule.id);
    const done = await planRule(tx, io, p, rule);
    // The snapshot was updated in place by the actions, so later rules see the new values.
    if (done.some((d) => d.startsWith("set_") || d.startsWith("assign") || d.includes("_tags:"))) changed = true;
  }
  return changed;
}

/** Applies one rule to a ticket and records it in the ticket's history. */
export async function applyRule(tx: Tx, s: Snapshot, rule: Rule, trigger: Trigger, extra: Record<string, string> = {}) {
  const plan = newPlan(s, trigger);
  const done = await planRule(tx, readNow(tx, s), plan, rule, extra);
  await writePlan(tx, plan);
  return done;
}

/**
 * What actions read: an agent picked in turn (which moves the turn), the assignment email's
 * context, the auto-reply's filter check and hourly allowance (which counts), a webhook.
 * None of it changes what later rules look at, except the picked agent (a dry run that
 * meets a later look at it gives up).
 */
type Read = { kind: "pick"; groupId: string } | { kind: "context"; userId: string; groupId: string | null } | { kind: "guard"; to: string } | { kind: "webhook"; id: string };
type Guard = { blocked: boolean; count: number | null };
type Io = {
  /** A dry run: the reads are recorded and answered with stand-ins. */
  dry: boolean;
  pick(groupId: string, mode: "round_robin" | "least_loaded"): Promise<{ userId: string | null; ctx?: AssignmentContext }>;
  /** Undefined: read with the pass's write. */
  context(userId: string, groupId: string | null): Promise<AssignmentContext | undefined>;
  guard(to: string): Promise<Guard>;
  webhook(id: string): Promise<{ id: string; active: boolean } | null>;
};

/** The agent a dry run's pick stands for. */
const PICKED = "\u0000picked";
const NOT_BATCHED = new Error("rules: the pass reads as it goes");

const ticketRef = (s: Snapshot) => ({ id: s.id, number: s.number, subject: s.subject, customerId: s.customerId, brandId: s.brandId });

/** The filter check and the sender's hourly allowance as CTEs (a filtered address uses none of it) and their result as JSON. */
function guardSql(s: Snapshot, to: string, name: string) {
  const b = Prisma.raw(`${name}_b`);
  const h = Prisma.raw(name);
  return {
    ctes: [Prisma.sql`${b} AS (SELECT ${blockedAddressSql(to)} AS blocked)`, Prisma.sql`${h} AS (${countHit(`autoreply:${s.brandId}:${to.trim().toLowerCase()}`, 3600, Prisma.sql`NOT (SELECT blocked FROM ${b})`)})`],
    result: Prisma.sql`json_build_object('blocked', (SELECT blocked FROM ${b}), 'count', (SELECT count FROM ${h}))`,
  };
}

/** Each read when it is needed, in a statement of its own (the assignment context is read with the write). */
function readNow(tx: Tx, s: Snapshot): Io {
  return {
    dry: false,
    pick: async (groupId, mode) => ({ userId: await pickAssignee(tx, groupId, s.brandId, mode) }),
    context: async () => undefined,
    guard: async (to) => {
      const g = guardSql(s, to, "g");
      const [row] = await tx.$queryRaw<{ r: Guard }[]>`WITH ${Prisma.join(g.ctes, ",\n")} SELECT ${g.result} AS r`;
      return row!.r;
    },
    webhook: (id) => tx.webhook.findUnique({ where: { id }, select: { id: true, active: true } }),
  };
}

/** The reads a pass will make, in order, or null when they cannot all be made up front. */
async function dryRun(tx: Tx, s: Snapshot, rules: Rule[], trigger: Trigger): Promise<Read[] | null> {
  const reads: Read[] = [];
  const io: Io = {
    dry: true,
    pick: async (groupId, mode) => {
      // Least loaded counts after a lock of its own; two picks in one statement would move the same turn.
      if (mode === "least_loaded" || reads.some((r) => r.kind === "pick")) throw NOT_BATCHED;
      reads.push({ kind: "pick", groupId });
      return { userId: PICKED };
    },
    context: async (userId, groupId) => void reads.push({ kind: "context", userId, groupId }),
    guard: async (to) => {
      // Two counts of the same allowance in one statement would not see each other.
      if (reads.some((r) => r.kind === "guard")) throw NOT_BATCHED;
      reads.push({ kind: "guard", to });
      return { blocked: false, count: 0 };
    },
    webhook: async (id) => (reads.push({ kind: "webhook", id }), { id, active: true }),
  };
  try {
    await planPass(tx, io, newPlan(structuredClone(s), trigger), rules);
  } catch (e) {
    if (e === NOT_BATCHED) return null;
    throw e;
  }
  return reads;
}

/** Makes the reads in one statement; the pass then takes their answers in the same order. */
async function prefetch(tx: Tx, s: Snapshot, reads: Read[]): Promise<Io> {
  const ref = ticketRef(s);
  const ctes: Prisma.Sql[] = [];
  const cols = reads.map((r, i) => {
    if (r.kind === "pick") {
      const rr = roundRobinSql(r.groupId, `pick${i}`);
      ctes.push(...rr.ctes);
      return Prisma.sql`json_build_object('userId', ${rr.next}, 'ctx', ${assignmentContextSql(ref, { assigneeId: rr.next, groupId: r.groupId })})`;
    }
    if (r.kind === "context") return assignmentContextSql(ref, { assigneeId: r.userId, groupId: r.groupId });
    if (r.kind === "guard") {
      const g = guardSql(s, r.to, `guard${i}`);
      ctes.push(...g.ctes);
      return g.result;
    }
    return Prisma.sql`(SELECT json_build_object('id', w.id, 'active', w.active) FROM "Webhook" w WHERE w.id = ${r.id})`;
  });
  const [row] = await tx.$queryRaw<{ r: unknown[] }[]>`${ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes, ",\n")}\n` : Prisma.empty}SELECT json_build_array(${Prisma.join(cols)}) AS r`;
  let i = 0;
  const next = <T>(r: Read): T => {
    const want = reads[i];
    if (!want || JSON.stringify(want) !== JSON.stringify(r)) throw new Error(`Rules on ticket ${s.id}: read ${i} is ${JSON.stringify(r)}, the dry run made ${JSON.stringify(want)}`);
    return row!.r[i++] as T;
  };
  return {
    dry: false,
    pick: async (groupId) => next<{ userId: string | null; ctx: AssignmentContext }>({ kind: "pick", groupId }),
    context: async (userId, groupId) => next<AssignmentContext>({ kind: "context", userId, groupId }),
    guard: async (to) => next<Guard>({ kind: "guard", to }),
    webhook: async (id) => next<{ id: string; active: boolean } | null>({ kind: "webhook", id }),
  };
}

type Column = "status" | "priority" | "typeId" | "topicId" | "groupId" | "assigneeId";

const FIELD: Record<string, { column: Exclude<Column, "assigneeId">; event: EventInput["type"] }> = {
  set_status: { column: "status", event: "STATUS" },
  set_priority: { column: "priority", event: "PRIORITY" },
  set_type: { column: "typeId", event: "TYPE" },
  set_topic: { column: "topicId", event: "TOPIC" },
  set_group: { column: "groupId", event: "GROUP" },
};

type PlannedMessage = { m: NewMessage & { kind: "NOTE" | "AUTO_REPLY" }; email?: Omit<OutgoingEmail, "messageId"> };

/** What one pass of rules does to a ticket, written by writePlan. */
type Plan = {
  s: Snapshot;
  trigger: Trigger;
  statusBefore: Snapshot["status"];
  /** Ticket columns to set (the last rule has the last word). */
  set: Partial<Record<Column, string>>;
  resolvedAt: Date | null;
  tagsBefore: string[];
  messages: PlannedMessage[];
  /** Emails of send_email actions (enqueued with the pass's others, first). */
  emails: OutgoingEmail[];
  /** The history, in order: each action's changes, then the rule's own entry. */
  events: EventInput[];
  /** A "ticket.updated" webhook per change set, as each action announced it. */
  announce: EventInput[][];
  /** With the assignment email's context when it was read before the write. */
  assigned: { userId: string; groupId: string | null; ruleName: string; ctx?: AssignmentContext }[];
  /** Work that needs the written ticket (webhook calls). */
  after: (() => Promise<unknown>)[];
};

const newPlan = (s: Snapshot, trigger: Trigger): Plan => ({ s, trigger, statusBefore: s.status, set: {}, resolvedAt: null, tagsBefore: [...s.tagNames], messages: [], emails: [], events: [], announce: [], assigned: [], after: [] });

/** Plans a rule's actions; returns what was actually done (for the history entry). */
async function planRule(tx: Tx, io: Io, p: Plan, rule: Rule, extra: Record<string, string> = {}): Promise<string[]> {
  const s = p.s;
  const done: string[] = [];
  const change = (events: EventInput[]) => {
    p.events.push(...events);
    p.announce.push(events);
  };
  for (const a of rule.actions) {
    if (a.type in FIELD) {
      const f = FIELD[a.type]!;
      const value = (a as { value: string }).value;
      const before = (s[f.column] as string | null) ?? null;
      if (before === value) continue;
      p.set[f.column] = value;
      if (f.column === "status" && value === "RESOLVED") p.resolvedAt = new Date();
      change([{ type: f.event, from: before, to: value }]);
      (s as Record<string, unknown>)[f.column] = value;
      done.push(`${a.type}:${value}`);
    } else if (a.type === "assign") {
      // A dry run cannot tell whether another assignment changes an assignee it has not picked yet.
      if (io.dry && s.assigneeId === PICKED) throw NOT_BATCHED;
      const groupId = a.groupId ?? s.groupId;
      const mode = a.value === "round_robin" || a.value === "least_loaded" ? a.value : null;
      const picked = mode ? (groupId ? await io.pick(groupId, mode) : { userId: null }) : { userId: a.value };
      const userId = picked.userId;
      if (!userId || userId === s.assigneeId) continue;
      const ctx = mode ? picked.ctx : await io.context(userId, groupId);
      p.set.assigneeId = userId;
      if (groupId && groupId !== s.groupId) p.set.groupId = groupId;
      change([{ type: "ASSIGNEE", from: s.assigneeId, to: userId }]);
      p.assigned.push({ userId, groupId, ruleName: rule.name, ctx });
      s.assigneeId = userId;
      done.push(`assign:${userId}`);
    } else if (a.type === "add_tags" || a.type === "remove_tags") {
      const names = [...new Set(a.value.map(normalizeTag).filter(Boolean))];
      const touched = a.type === "add_tags" ? names.filter((n) => !s.tagNames.includes(n)) : names.filter((n) => s.tagNames.includes(n));
      if (!touched.length) continue;
      change(touched.map((to) => ({ type: a.type === "add_tags" ? "TAG_ADDED" : "TAG_REMOVED", to })));
      s.tagNames = a.type === "add_tags" ? [...s.tagNames, ...touched] : s.tagNames.filter((n) => !touched.includes(n));
      done.push(`${a.type}:${a.value.join(",")}`);
    } else if (a.type === "add_note") {
      p.messages.push({ m: { kind: "NOTE", html: null, text: a.value } });
      done.push("add_note");
    } else if (a.type === "auto_reply") {
      done.push(await planAutoReply(tx, io, p, a.open, a.closed));
    } else if (a.type === "call_webhook") {
      const hook = await io.webhook(a.value);
      if (!hook?.active) {
        done.push("call_webhook:skipped (missing or disabled)");
        continue;
      }
      p.after.push(async () => enqueueWebhookDelivery(tx, hook.id, "rule", { rule: { id: rule.id, name: rule.name }, ticket: await ticketPayload(tx, s.id) }));
      done.push(`call_webhook:${hook.id}`);
    } else if (a.type === "send_email") {
      if (io.dry) continue;
      const mail = await renderTemplate(tx, { key: "auto_reply", brandId: s.brandId, vars: vars(s), draft: { subject: a.subject, body: a.body }, data: brandLook(s) });
      p.emails.push({ to: [a.to], subject: mail.subject, html: mail.html, text: mail.text, purpose: "NOTIFICATION", ticketId: s.id, headers: { "Auto-Submitted": "auto-generated" } });
      done.push(`send_email:${a.to}`);
    }
  }
  change([{ type: "RULE", to: rule.name, data: { ruleId: rule.id, trigger: p.trigger, actions: done, ...extra } as Prisma.InputJsonValue }]);
  return done;
}

/** What a render with a draft reads (the brand's language and look), known from the snapshot. */
const brandLook = (s: Snapshot): TemplateData => ({ defaultLanguage: s.brand.defaultLanguage, settings: s.brand.settings, brandFound: true, templates: null });

const vars = (s: Snapshot) => ({ "ticket.number": s.number, "ticket.subject": s.subject, "customer.name": s.customer?.name ?? "", "customer.email": s.customer?.email ?? "", "brand.name": s.brand.name });

/**
 * A1 with E9's guards: never to machine-sent mail, a blocked or our own address, or a
 * sender who already had this hour's allowance (two auto-responders stop there).
 */
async function planAutoReply(tx: Tx, io: Io, p: Plan, openText: string, closedText: string): Promise<string> {
  const s = p.s;
  const to = s.customer?.email;
  if (!to || s.customer?.blocked) return "auto_reply:skipped (no address)";
  if (s.lastCustomer?.automated) return "auto_reply:skipped (automated mail)";
  // The filter and the sender's hourly allowance in one statement; a filtered address uses none of it.
  const guard = await io.guard(to);
  if (io.dry) return "auto_reply";
  if (guard.blocked) return "auto_reply:skipped (filtered address)";
  if (guard.count! > AUTO_REPLY_LIMIT.perHour) return "auto_reply:skipped (hourly limit)";
  const body = s.open ? openText : closedText;
  const mail = await renderTemplate(tx, { key: "auto_reply", language: s.customer?.language ?? s.language, brandId: s.brandId, vars: vars(s), draft: { subject: "Re: {{ticket.subject}} [#{{ticket.number}}]", body }, data: brandLook(s) });
  const emailMessageId = `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}`;
  const inReplyTo = s.lastCustomer?.emailMessageId;
  p.messages.push({
    m: { kind: "AUTO_REPLY", html: mail.html, text: mail.text, to: [to], emailMessageId, deliveryStatus: "QUEUED", automated: true },
    email: {
      to: [to],
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      purpose: "AUTO_REPLY",
      ticketId: s.id,
      emailMessageId,
      headers: { "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All", ...(inReplyTo ? { "In-Reply-To": `<${inReplyTo}>`, References: `<${inReplyTo}>` } : {}) },
    },
  });
  return `auto_reply:${s.open ? "open" : "closed"}`;
}

const CAST: Record<Column, string> = { status: `"TicketStatus"`, priority: `"Priority"`, typeId: "text", topicId: "text", groupId: "text", assigneeId: "text" };

/** A tag id like the ones Prisma makes (a tag new to the desk is created by the write itself). */
const newTagId = () => `c${randomUUID().replace(/-/g, "").slice(0, 24)}`;

/** What a pass writes besides the ticket row, and the emails that follow from it. */
type Prepared = {
  now: Date;
  added: string[];
  removed: string[];
  msgs: PlannedMessage["m"][];
  notify: (Plan["assigned"][number] & { change: { assigneeId: string; groupId: string | null; actorId: null; actorName: string } })[];
  /** Every assignment email's context was read before: the emails go into the write. */
  early: boolean;
  emails: StatementEmail[];
  mail: ReturnType<typeof enqueueEmailsSql>;
  /** The pass's messages (rule_m), added tags (rule_tn, rule_ta) and emails (mail_*). */
  ctes: Prisma.Sql[];
  /** "ruleMessageIds", "notify" (the assignment emails' contexts, when read along) and the emails' columns. */
  select: Prisma.Sql;
};
type WrittenRow = { ruleMessageIds: number[]; notify: AssignmentContext[] | null } & EnqueuedRow;

async function prepareWrite(tx: Tx, p: Plan, tags: boolean): Promise<Prepared> {
  const s = p.s;
  const id = s.id;
  const now = new Date();
  const added = s.tagNames.filter((n) => !p.tagsBefore.includes(n));
  const removed = p.tagsBefore.filter((n) => !s.tagNames.includes(n));
  const msgs = p.messages.map((x) => x.m);
  const ctes: Prisma.Sql[] = [];
  if (msgs.length) {
    ctes.push(Prisma.sql`rule_m AS (
      INSERT INTO "Message" ("ticketId", kind, html, text, "to", cc, "references", "emailMessageId", "deliveryStatus", automated, "createdAt")
      SELECT ${id}::int, x.kind::"MessageKind", x.html, x.text, ARRAY(SELECT json_array_elements_text(x.rcpt::json)), '{}', '{}', x.mid, x.ds::"DeliveryStatus", x.auto, ${now}::timestamp(3)
      FROM unnest(${msgs.map((m) => m.kind)}::text[], ${msgs.map((m) => m.html)}::text[], ${msgs.map((m) => m.text)}::text[], ${msgs.map((m) => JSON.stringify(m.to ?? []))}::text[],
                  ${msgs.map((m) => m.emailMessageId ?? null)}::text[], ${msgs.map((m) => m.deliveryStatus ?? "NONE")}::text[], ${msgs.map((m) => m.automated ?? false)}::boolean[])
           WITH ORDINALITY AS x(kind, html, text, rcpt, mid, ds, auto, n)
      ORDER BY x.n
      RETURNING id)`);
  }
  if (tags && added.length) ctes.push(...addedTagsCtes(id, added, now));
  const ref = ticketRef(s);
  const notify = p.assigned.map((a) => ({ ...a, change: { assigneeId: a.userId, groupId: a.groupId, actorId: null, actorName: a.ruleName } }));
  // The emails: send_email's, automatic answers, then the assignment emails, as the actions came. When
  // every assignment email's context was read before (with the pass's reads), they are written by the
  // same statement; otherwise the contexts are read along, and the emails enqueued after it.
  const early = notify.every((a) => a.ctx);
  const emails: StatementEmail[] = [];
  if (early) {
    emails.push(...p.emails, ...p.messages.flatMap((x, i) => (x.email ? [{ ...x.email, messageIndex: i }] : [])));
    for (const a of notify) emails.push(...(await assignmentEmails(tx, ref, a.change, a.ctx)));
  }
  const mail = emails.length ? enqueueEmailsSql(emails, msgs.length ? Prisma.sql`ARRAY(SELECT id FROM rule_m ORDER BY id)` : undefined) : null;
  if (mail) ctes.push(...mail.ctes);
  const select = Prisma.sql`${msgs.length ? Prisma.sql`ARRAY(SELECT id FROM rule_m ORDER BY id)` : Prisma.sql`'{}'::int[]`} AS "ruleMessageIds",
    ${notify.length && !early ? Prisma.sql`json_build_array(${Prisma.join(notify.map((a) => assignmentContextSql(ref, a.change)))})` : Prisma.sql`NULL::json`} AS notify${mail ? Prisma.sql`, ${mail.select}` : Prisma.empty}`;
  return { now, added, removed, msgs, notify, early, emails, mail, ctes, select };
}

/** Existing tags are found; a new one is created (or, when another ticket just created it, taken). */
function addedTagsCtes(id: number, added: string[], now: Date) {
  return [
    Prisma.sql`rule_tn AS (
      INSERT INTO "Tag" (id, name, "createdAt")
      SELECT x.id, x.name, ${now}::timestamp(3) FROM unnest(${added.map(newTagId)}::text[], ${added}::text[]) AS x(id, name)
      WHERE NOT EXISTS (SELECT 1 FROM "Tag" t WHERE t.name = x.name)
      ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
      RETURNING id)`,
    Prisma.sql`rule_ta AS (
      INSERT INTO "TicketTag" ("ticketId", "tagId")
      SELECT ${id}::int, a.id FROM (SELECT id FROM rule_tn UNION SELECT id FROM "Tag" WHERE name = ANY(${added}::text[])) a
      ON CONFLICT DO NOTHING)`,
  ];
}

const removedTagsCte = (id: number, removed: string[]) =>
  Prisma.sql`rule_td AS (DELETE FROM "TicketTag" WHERE "ticketId" = ${id}::int AND "tagId" IN (SELECT id FROM "Tag" WHERE name = ANY(${removed}::text[])))`;

/** After the write: the emails not written by it, webhook calls, and the webhooks that listen to the pass's messages and changes. */
async function finishWrite(tx: Tx, p: Plan, w: Prepared, row: WrittenRow) {
  const id = p.s.id;
  const ids = row.ruleMessageIds;
  if (p.messages.length && ids.length !== p.messages.length) throw new Error(`Rules on ticket ${id}: ${ids.length} of ${p.messages.length} messages stored`);
  if (w.msgs.length || w.added.length || w.removed.length) {
    p.s.updatedAt = w.now;
    p.s.hoursSinceUpdated = 0;
  }
  if (w.mail) await w.mail.finish(tx, row, ids);
  else if (w.early) await enqueueEmails(tx, w.emails.map(({ messageIndex, ...e }) => (messageIndex === undefined ? e : { ...e, messageId: ids[messageIndex]! })));
  else {
    const late = [...p.emails, ...p.messages.flatMap((x, i) => (x.email ? [{ ...x.email, messageId: ids[i]! }] : []))];
    for (const [i, a] of w.notify.entries()) late.push(...(await assignmentEmails(tx, ticketRef(p.s), a.change, row.notify![i])));
    await enqueueEmails(tx, late);
  }
  for (const f of p.after) await f();
  // Webhooks (nothing is read unless one listens): each message, and each change set as before.
  for (const [i, x] of p.messages.entries()) await emitMessageCreated(tx, id, { id: ids[i]!, createdAt: w.now }, x.m);
  let payload: Awaited<ReturnType<typeof ticketPayload>> | undefined;
  for (const changes of p.announce) {
    await emitWebhookEvent(tx, "ticket.updated", async () => ({ ticket: (payload ??= await ticketPayload(tx, id)), changes: changes.map((c) => ({ type: c.type, from: c.from ?? null, to: c.to ?? null })) }));
  }
}

/**
 * Writes a pass: the ticket row (fields, counters and search text of the new messages,
 * last activity), the messages, tags, history and report events in one statement; then
 * the emails, notifications, webhooks and SLA that follow from it.
 */
async function writePlan(tx: Tx, p: Plan) {
  if (!p.events.length) return;
  const s = p.s;
  const id = s.id;
  // The report rollups count a ticket's tags under its group: a pass that moves the ticket to
  // another group writes its tag changes first, so that the move carries them (in the same
  // statement the move's count would see them before they were counted).
  const tagsFirst = p.set.groupId !== undefined;
  const w = await prepareWrite(tx, p, !tagsFirst);
  const { now, added, removed, msgs } = w;
  const pub = msgs.filter((m) => isPublic(m.kind));
  const ctes: Prisma.Sql[] = [];
  if (tagsFirst && (added.length || removed.length)) {
    const tagCtes = [...(added.length ? addedTagsCtes(id, added, now) : []), ...(removed.length ? [removedTagsCte(id, removed)] : [])];
    await tx.$executeRaw`WITH ${Prisma.join(tagCtes, ",\n")} SELECT 1`;
  }

  const sets = Object.entries(p.set).map(([c, v]) => Prisma.sql`${Prisma.raw(`"${c}"`)} = ${v}::${Prisma.raw(CAST[c as Column])}`);
  if (p.resolvedAt) sets.push(Prisma.sql`"resolvedAt" = ${p.resolvedAt}::timestamp(3)`);
  // What appendMessage does per message: last activity, public counters and snippet, search text.
  if (msgs.length || added.length || removed.length) sets.push(Prisma.sql`"updatedAt" = ${now}::timestamp(3)`);
  if (msgs.length) {
    sets.push(Prisma.sql`"lastMessageAt" = ${now}::timestamp(3)`);
    const texts = msgs.filter((m) => m.text.trim()).map((m) => Prisma.sql`to_tsvector('simple', left(${m.text}::text, ${MAX_TEXT}::int))`);
    if (texts.length) sets.push(Prisma.sql`"searchVector" = coalesce("searchVector", ''::tsvector) || ${Prisma.join(texts, " || ")}`);
  }
  if (pub.length) sets.push(Prisma.sql`"messageCount" = "messageCount" + ${pub.length}::int, snippet = ${snippetOf(pub.at(-1)!.text)}::text`);
  // Status, priority or type changes move the SLA due times. On a ticket just created (never
  // paused yet) they are what creating it with these values would have given, so they go
  // into the same UPDATE; otherwise the SLA is synced after the write.
  let slaJobs: Prisma.Sql | null = null;
  let slaLater = false;
  if (affectsSla(p.events.map((x) => x.type))) {
    if (p.trigger === "TICKET_CREATED" && p.statusBefore !== "PENDING") {
      const sla = await newTicketSla(tx, { brandId: s.brandId, priority: s.priority, typeId: s.typeId, channel: s.channel as Channel, status: s.status, createdAt: s.createdAt, firstResponseAt: s.firstResponseAt });
      const f = sla.fields;
      if (f) {
        sets.push(Prisma.sql`"slaPolicyId" = ${f.slaPolicyId}, "slaPausedAt" = ${f.slaPausedAt}::timestamp(3), "slaPauses" = ${JSON.stringify(f.slaPauses)}::jsonb,
          "firstResponseDueAt" = ${f.firstResponseDueAt}::timestamp(3), "firstResponseWarnAt" = ${f.firstResponseWarnAt}::timestamp(3),
          "resolutionDueAt" = ${f.resolutionDueAt}::timestamp(3), "resolutionWarnAt" = ${f.resolutionWarnAt}::timestamp(3)`);
      } else if (s.slaPolicyId) {
        // No policy applies any more: the ticket loses the one it was created with.
        sets.push(Prisma.sql`"slaPolicyId" = NULL, "firstResponseDueAt" = NULL, "resolutionDueAt" = NULL, "firstResponseWarnAt" = NULL, "resolutionWarnAt" = NULL, "slaPausedAt" = NULL`);
      }
      slaJobs = sla.jobs(id);
    } else slaLater = true;
  }
  if (sets.length) ctes.push(Prisma.sql`u AS (UPDATE "Ticket" SET ${Prisma.join(sets)} WHERE id = ${id}::int)`);
  ctes.push(...w.ctes);
  if (!tagsFirst && removed.length) ctes.push(removedTagsCte(id, removed));
  const e = p.events;
  ctes.push(Prisma.sql`rule_e AS (
    INSERT INTO "TicketEvent" ("ticketId", "actorType", "actorId", type, "fromValue", "toValue", data, "createdAt")
    SELECT ${id}::int, 'RULE'::"ActorType", NULL, x.type::"TicketEventType", x.f, x.t, x.d::jsonb, ${now}::timestamp(3)
    FROM unnest(${e.map((x) => x.type)}::text[], ${e.map((x) => x.from ?? null)}::text[], ${e.map((x) => x.to ?? null)}::text[], ${e.map((x) => (x.data === undefined ? null : JSON.stringify(x.data)))}::text[])
         WITH ORDINALITY AS x(type, f, t, d, n)
    ORDER BY x.n)`);
  if (p.assigned.length) {
    ctes.push(Prisma.sql`rule_r AS (
      INSERT INTO "ReportEvent" (type, "brandId", "ticketId", "userId", "groupId", at)
      SELECT 'ASSIGNED'::"ReportEventType", ${s.brandId}, ${id}::int, x.u, x.g, ${now}::timestamp(3)
      FROM unnest(${p.assigned.map((a) => a.userId)}::text[], ${p.assigned.map((a) => a.groupId)}::text[]) AS x(u, g))`);
  }
  const [row] = await tx.$queryRaw<WrittenRow[]>`
    WITH ${Prisma.join(ctes, ",\n")}
    SELECT ${w.select}${slaJobs ? Prisma.sql`, ${slaJobs}` : Prisma.empty}`;
  await finishWrite(tx, p, w, row!);
  if (slaLater) await syncTicketSla(tx, id);
}

/**
 * True when a "created" rule acts on a ticket with these columns whatever else it looks at
 * (conditions the known columns satisfy): createTicket can then plan the rules first and
 * write the ticket as they leave it.
 */
export async function rulesActOnNewTicket(tx: Tx, known: Known): Promise<boolean> {
  const surely = (c: Conditions) => {
    const verdicts = c.items.map((i) => (KNOWN_FIELDS.includes(i.field) && i.field in known ? conditionHolds(known as Snapshot, i) : null));
    return c.match === "all" ? verdicts.every((v) => v === true) : verdicts.some((v) => v === true);
  };
  return (await activeRules(tx)).some((r) => r.trigger === "TICKET_CREATED" && (!r.brandId || r.brandId === known.brandId) && surely(r.conditions));
}

/** The "created" rules planned on a ticket about to be written (its snapshot as it will be). */
export type NewTicketPass = { plan: Plan; changed: boolean; fired: Set<string>; write?: Prepared };

export async function planNewTicketRules(tx: Tx, s: Snapshot): Promise<NewTicketPass> {
  const rules = (await activeRules(tx)).filter((r) => r.trigger === "TICKET_CREATED");
  const reads = await dryRun(tx, s, rules, "TICKET_CREATED");
  const io = reads?.length ? await prefetch(tx, s, reads) : readNow(tx, s);
  const plan = newPlan(s, "TICKET_CREATED");
  const fired = new Set<string>();
  const changed = await planPass(tx, io, plan, rules, fired);
  return { plan, changed, fired };
}

/** What a planned "created" pass makes of the new ticket, for the statement that inserts it. */
export type NewTicketWrite = {
  /** The columns as the rules left them. */
  row: Pick<Snapshot, "status" | "priority" | "typeId" | "topicId" | "groupId" | "assigneeId"> & { resolvedAt: Date | null };
  /** When the pass wrote messages or changed tags: the ticket's last activity. */
  updatedAt: Date | null;
  lastMessageAt: Date | null;
  /** Public messages the pass adds, the snippet of the last one, and the texts for the search vector. */
  publicMessages: number;
  snippet: string | null;
  texts: string[];
  /** The SLA for the columns as the rules left them (when they changed what it depends on). */
  sla: Awaited<ReturnType<typeof newTicketSla>> | null;
  /** Tag names the pass took off (of the ticket's own). */
  removedTags: string[];
  /** The rules' history (actor RULE) and assignments (report events), after the creation's. */
  events: EventInput[];
  assigned: { userId: string; groupId: string | null }[];
  at: Date;
  ctes: Prisma.Sql[];
  select: Prisma.Sql;
};

export async function newTicketWrite(tx: Tx, pass: NewTicketPass): Promise<NewTicketWrite | null> {
  const p = pass.plan;
  if (!p.events.length) return null;
  const s = p.s;
  const w = await prepareWrite(tx, p, true);
  pass.write = w;
  const pub = w.msgs.filter((m) => isPublic(m.kind));
  const sla = affectsSla(p.events.map((x) => x.type))
    ? await newTicketSla(tx, { brandId: s.brandId, priority: s.priority, typeId: s.typeId, channel: s.channel as Channel, status: s.status, createdAt: s.createdAt, firstResponseAt: s.firstResponseAt })
    : null;
  return {
    row: { status: s.status, priority: s.priority, typeId: s.typeId, topicId: s.topicId, groupId: s.groupId, assigneeId: s.assigneeId, resolvedAt: p.resolvedAt },
    updatedAt: w.msgs.length || w.added.length || w.removed.length ? w.now : null,
    lastMessageAt: w.msgs.length ? w.now : null,
    publicMessages: pub.length,
    snippet: pub.length ? snippetOf(pub.at(-1)!.text) : null,
    texts: w.msgs.filter((m) => m.text.trim()).map((m) => m.text),
    sla,
    removedTags: w.removed,
    events: p.events,
    assigned: p.assigned.map((a) => ({ userId: a.userId, groupId: a.groupId })),
    at: w.now,
    ctes: w.ctes,
    select: w.select,
  };
}

/** After the statement that inserted the ticket with its pass: emails, webhook calls, and the "updated" rules the changes trigger. */
export async function afterNewTicketWrite(tx: Tx, pass: NewTicketPass, row: WrittenRow) {
  if (pass.write) await finishWrite(tx, pass.plan, pass.write, row);
  if (pass.changed && 1 < MAX_CHAIN_DEPTH) await runRules(tx, pass.plan.s.id, "TICKET_UPDATED", { depth: 1, fired: pass.fired });
}
