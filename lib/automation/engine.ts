import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma, type Channel, type Priority, type TicketStatus } from "@/lib/generated/prisma/client";
import { isBlockedAddress, takeAutoReplyAllowance } from "@/lib/mail/loop-guard";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate } from "@/lib/mail/templates/render";
import { isOpen } from "@/lib/sla/business-hours";
import type { BusinessHours } from "@/lib/sla/schedule-schema";
import type { Actor } from "@/lib/tickets/actor";
import { addEvents, type EventInput } from "@/lib/tickets/events";
import { appendMessage } from "@/lib/tickets/messages";
import { notifyAssignment } from "@/lib/tickets/notify";
import { changeTags, normalizeTag } from "@/lib/tickets/tags";
import { actionsSchema, conditionsSchema, HOUR_FIELDS, type Action, type Condition, type Conditions, type Trigger } from "@/lib/automation/schema";
import { pickAssignee } from "@/lib/automation/assign";
import { enqueueWebhookDelivery, ticketPayload } from "@/lib/webhooks/emit";

export type Rule = { id: string; name: string; brandId: string | null; trigger: Trigger; conditions: Conditions; actions: Action[] };

const CACHE_MS = 5_000;
let cache: { at: number; rules: Rule[] } | null = null;
export function forgetRules() {
  cache = null;
}

/** Active rules in order, parsed once per few seconds (and at once after an admin change). */
export async function activeRules(tx: Tx): Promise<Rule[]> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.rules;
  const rows = await tx.automationRule.findMany({ where: { active: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true, name: true, brandId: true, trigger: true, conditions: true, actions: true } });
  const rules = rows.flatMap((r) => {
    const c = conditionsSchema.safeParse(r.conditions);
    const a = actionsSchema.safeParse(r.actions);
    // A rule stored in an older format is skipped rather than breaking every ticket change.
    return c.success && a.success ? [{ ...r, trigger: r.trigger as Trigger, conditions: c.data, actions: a.data }] : [];
  });
  cache = { at: Date.now(), rules };
  return rules;
}

export type Snapshot = Awaited<ReturnType<typeof snapshot>>;

type SnapshotRow = {
  id: number; number: number; subject: string; brandId: string; channel: Channel; status: TicketStatus; priority: Priority;
  typeId: string | null; topicId: string | null; groupId: string | null; assigneeId: string | null; customerId: string; language: string | null;
  createdAt: Date; updatedAt: Date; lastCustomerAt: Date | null; lastMessageAt: Date;
  cEmail: string | null; cName: string | null; cLanguage: string | null; cBlocked: boolean;
  bName: string; hoursId: string | null; timezone: string | null; schedule: unknown; holidays: unknown;
  tagNames: string[];
  lmId: number | null; lmText: string | null; lmAutomated: boolean | null; lmEmailMessageId: string | null;
};

/** What rules look at: the ticket with its customer, tags, brand hours and last customer message, in one round trip. */
export async function snapshot(tx: Tx, ticketId: number, now = new Date()) {
  const rows = await tx.$queryRaw<SnapshotRow[]>`
    SELECT t.id, t.number, t.subject, t."brandId", t.channel::text AS channel, t.status::text AS status, t.priority::text AS priority,
           t."typeId", t."topicId", t."groupId", t."assigneeId", t."customerId", t.language, t."createdAt", t."updatedAt", t."lastCustomerAt", t."lastMessageAt",
           c.email AS "cEmail", c.name AS "cName", c.language AS "cLanguage", c.blocked AS "cBlocked",
           b.name AS "bName", bh.id AS "hoursId", bh.timezone, bh.schedule, bh.holidays,
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
  const t = {
    id: r.id, number: r.number, subject: r.subject, brandId: r.brandId, channel: r.channel, status: r.status, priority: r.priority,
    typeId: r.typeId, topicId: r.topicId, groupId: r.groupId, assigneeId: r.assigneeId, customerId: r.customerId, language: r.language,
    createdAt: r.createdAt, updatedAt: r.updatedAt, lastCustomerAt: r.lastCustomerAt, lastMessageAt: r.lastMessageAt,
    customer: { email: r.cEmail, name: r.cName, language: r.cLanguage, blocked: r.cBlocked },
    brand: { name: r.bName, businessHours: r.hoursId ? { timezone: r.timezone, schedule: r.schedule, holidays: r.holidays } : null },
    messages: r.lmId === null ? [] : [{ id: r.lmId, text: r.lmText ?? "", automated: r.lmAutomated ?? false, emailMessageId: r.lmEmailMessageId }],
  };
  let open: boolean;
  try {
    open = t.brand.businessHours ? isOpen(t.brand.businessHours as BusinessHours, now) : true;
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

/** A rule that changes a ticket runs the "updated" rules again, up to this depth (never itself twice). */
export const MAX_CHAIN_DEPTH = 3;

/**
 * A6: the brand's active rules for this trigger, in order, inside the caller's
 * transaction — so a ticket and every rule's change commit together or not at all.
 * Every rule that acts leaves a RULE entry in the ticket history.
 */
export async function runRules(tx: Tx, ticketId: number, trigger: Trigger, chain: { depth: number; fired: Set<string> } = { depth: 0, fired: new Set() }) {
  const rules = (await activeRules(tx)).filter((r) => r.trigger === trigger && !chain.fired.has(r.id));
  if (!rules.length) return;
  const s = await snapshot(tx, ticketId);
  let changed = false;
  for (const rule of rules) {
    if (rule.brandId && rule.brandId !== s.brandId) continue;
    if (!matches(s, rule.conditions)) continue;
    chain.fired.add(rule.id);
    const done = await applyRule(tx, s, rule, trigger);
    // The snapshot was updated in place by the actions, so later rules see the new values.
    if (done.some((d) => d.startsWith("set_") || d.startsWith("assign") || d.includes("_tags:"))) changed = true;
  }
  if (changed && chain.depth + 1 < MAX_CHAIN_DEPTH) await runRules(tx, ticketId, "TICKET_UPDATED", { depth: chain.depth + 1, fired: chain.fired });
}

/** Applies one rule to a ticket and records it in the ticket's history. */
export async function applyRule(tx: Tx, s: Snapshot, rule: Rule, trigger: Trigger, extra: Record<string, string> = {}) {
  const done = await applyActions(tx, s, rule);
  await addEvents(tx, s.id, { type: "RULE", name: rule.name }, [{ type: "RULE", to: rule.name, data: { ruleId: rule.id, trigger, actions: done, ...extra } as Prisma.InputJsonValue }]);
  return done;
}

const FIELD: Record<string, { column: "status" | "priority" | "typeId" | "topicId" | "groupId"; event: EventInput["type"] }> = {
  set_status: { column: "status", event: "STATUS" },
  set_priority: { column: "priority", event: "PRIORITY" },
  set_type: { column: "typeId", event: "TYPE" },
  set_topic: { column: "topicId", event: "TOPIC" },
  set_group: { column: "groupId", event: "GROUP" },
};

/** Applies a rule's actions; returns what was actually done (for the history entry). */
async function applyActions(tx: Tx, s: Snapshot, rule: Rule): Promise<string[]> {
  const actor: Actor = { type: "RULE", name: rule.name };
  const done: string[] = [];
  for (const a of rule.actions) {
    if (a.type in FIELD) {
      const f = FIELD[a.type]!;
      const value = (a as { value: string }).value;
      const before = (s[f.column] as string | null) ?? null;
      if (before === value) continue;
      await tx.ticket.update({ where: { id: s.id }, data: { [f.column]: value, ...(f.column === "status" && value === "RESOLVED" ? { resolvedAt: new Date() } : {}) } });
      await addEvents(tx, s.id, actor, [{ type: f.event, from: before, to: value }]);
      (s as Record<string, unknown>)[f.column] = value;
      done.push(`${a.type}:${value}`);
    } else if (a.type === "assign") {
      const groupId = a.groupId ?? s.groupId;
      const userId = a.value === "round_robin" || a.value === "least_loaded" ? (groupId ? await pickAssignee(tx, groupId, s.brandId, a.value) : null) : a.value;
      if (!userId || userId === s.assigneeId) continue;
      await tx.ticket.update({ where: { id: s.id }, data: { assigneeId: userId, ...(groupId && groupId !== s.groupId ? { groupId } : {}) } });
      await addEvents(tx, s.id, actor, [{ type: "ASSIGNEE", from: s.assigneeId, to: userId }]);
      await notifyAssignment(tx, { id: s.id, number: s.number, subject: s.subject, customerId: s.customerId, brandId: s.brandId }, { assigneeId: userId, groupId, actorId: null, actorName: rule.name });
      await tx.reportEvent.create({ data: { type: "ASSIGNED", brandId: s.brandId, ticketId: s.id, userId, groupId } });
      s.assigneeId = userId;
      done.push(`assign:${userId}`);
    } else if (a.type === "add_tags" || a.type === "remove_tags") {
      const touched = await changeTags(tx, [s.id], actor, a.type === "add_tags" ? a.value : [], a.type === "remove_tags" ? a.value : []);
      if (touched.length) {
        const names = a.value.map(normalizeTag);
        s.tagNames = a.type === "add_tags" ? [...new Set([...s.tagNames, ...names])] : s.tagNames.filter((n) => !names.includes(n));
        done.push(`${a.type}:${a.value.join(",")}`);
      }
    } else if (a.type === "add_note") {
      await appendMessage(tx, s.id, { kind: "NOTE", html: null, text: a.value });
      done.push("add_note");
    } else if (a.type === "auto_reply") {
      const why = await autoReply(tx, s, a.open, a.closed);
      done.push(why);
    } else if (a.type === "call_webhook") {
      const hook = await tx.webhook.findUnique({ where: { id: a.value }, select: { id: true, active: true } });
      if (!hook?.active) {
        done.push("call_webhook:skipped (missing or disabled)");
        continue;
      }
      await enqueueWebhookDelivery(tx, hook.id, "rule", { rule: { id: rule.id, name: rule.name }, ticket: await ticketPayload(tx, s.id) });
      done.push(`call_webhook:${hook.id}`);
    } else if (a.type === "send_email") {
      const mail = await renderTemplate(tx, { key: "auto_reply", brandId: s.brandId, vars: vars(s), draft: { subject: a.subject, body: a.body } });
      await enqueueEmail(tx, { to: [a.to], subject: mail.subject, html: mail.html, text: mail.text, purpose: "NOTIFICATION", ticketId: s.id, headers: { "Auto-Submitted": "auto-generated" } });
      done.push(`send_email:${a.to}`);
    }
  }
  return done;
}

const vars = (s: Snapshot) => ({ "ticket.number": s.number, "ticket.subject": s.subject, "customer.name": s.customer?.name ?? "", "customer.email": s.customer?.email ?? "", "brand.name": s.brand.name });

/**
 * A1 with E9's guards: never to machine-sent mail, a blocked or our own address, or a
 * sender who already had this hour's allowance (two auto-responders stop there).
 */
async function autoReply(tx: Tx, s: Snapshot, openText: string, closedText: string): Promise<string> {
  const to = s.customer?.email;
  if (!to || s.customer?.blocked) return "auto_reply:skipped (no address)";
  if (s.lastCustomer?.automated) return "auto_reply:skipped (automated mail)";
  if (await isBlockedAddress(tx, s.brandId, to)) return "auto_reply:skipped (filtered address)";
  if (!(await takeAutoReplyAllowance(tx, s.brandId, to))) return "auto_reply:skipped (hourly limit)";
  const body = s.open ? openText : closedText;
  const mail = await renderTemplate(tx, { key: "auto_reply", language: s.customer?.language ?? s.language, brandId: s.brandId, vars: vars(s), draft: { subject: "Re: {{ticket.subject}} [#{{ticket.number}}]", body } });
  const emailMessageId = `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}`;
  const inReplyTo = s.lastCustomer?.emailMessageId;
  const msg = await appendMessage(tx, s.id, { kind: "AUTO_REPLY", html: mail.html, text: mail.text, to: [to], emailMessageId, deliveryStatus: "QUEUED", automated: true });
  await enqueueEmail(tx, {
    to: [to],
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    purpose: "AUTO_REPLY",
    ticketId: s.id,
    messageId: msg.id,
    emailMessageId,
    headers: { "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All", ...(inReplyTo ? { "In-Reply-To": `<${inReplyTo}>`, References: `<${inReplyTo}>` } : {}) },
  });
  return `auto_reply:${s.open ? "open" : "closed"}`;
}
