import "server-only";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { activeRules, applyRule, matches, snapshot } from "@/lib/automation/engine";
import { brandChannel } from "@/lib/realtime/channels";
import { publish, type Publication } from "@/lib/realtime/publish";

const HOUR = 3_600_000;

/** The history types a rule's actions (as applyRule reports them) change, for `ticket.updated`'s `fields`. */
const ACTION_FIELD: Record<string, string> = {
  set_status: "STATUS", set_priority: "PRIORITY", set_type: "TYPE", set_topic: "TOPIC", set_group: "GROUP",
  assign: "ASSIGNEE", add_tags: "TAGS", remove_tags: "TAGS", add_note: "messages", auto_reply: "messages",
};

function fieldsOf(done: string[]): string[] {
  const fields = new Set<string>(["RULE"]);
  for (const d of done) {
    // "auto_reply:skipped (…)" wrote nothing the inbox shows.
    if (d.includes(":skipped")) continue;
    const f = ACTION_FIELD[d.split(":")[0]!];
    if (f) fields.add(f);
  }
  return [...fields];
}

/**
 * "Time since X" rules, run every minute by the worker: each rule looks at open and
 * pending tickets (the oldest first, a bounded batch per run) and acts on those its
 * conditions match — once per customer message: not again until the customer writes
 * again (its own notes and changes do not count). Each ticket is its own transaction.
 */
export async function runTimeRules(db: Db, now = new Date(), batch = 500) {
  const rules = (await activeRules(db)).filter((r) => r.trigger === "TIME_ELAPSED");
  let acted = 0;
  const changed: Publication[] = [];
  try {
    for (const rule of rules) {
      const where: Prisma.TicketWhereInput = { state: "ACTIVE", mergedIntoId: null, status: { in: ["OPEN", "PENDING"] }, ...(rule.brandId ? { brandId: rule.brandId } : {}) };
      // With "all", an hours condition narrows the candidates in SQL already.
      if (rule.conditions.match === "all") {
        for (const c of rule.conditions.items) {
          const h = Number(c.value);
          if (c.op !== "more_than" || !Number.isFinite(h)) continue;
          const before = new Date(now.getTime() - h * HOUR);
          if (c.field === "hoursSinceCreated") where.createdAt = { lt: before };
          if (c.field === "hoursSinceUpdated") where.updatedAt = { lt: before };
          if (c.field === "hoursSinceCustomerMessage") where.OR = [{ lastCustomerAt: { lt: before } }, { lastCustomerAt: null, createdAt: { lt: before } }];
        }
      }
      const candidates = await db.ticket.findMany({ where, orderBy: { updatedAt: "asc" }, take: batch, select: { id: true } });
      for (const c of candidates) {
        const did = await db.$transaction(async (tx) => {
          const s = await snapshot(tx, c.id, now);
          if (!matches(s, rule.conditions)) return null;
          const anchor = (s.lastCustomerAt ?? s.createdAt).toISOString();
          const prior = await tx.ticketEvent.count({ where: { ticketId: s.id, type: "RULE", AND: [{ data: { path: ["ruleId"], equals: rule.id } }, { data: { path: ["anchor"], equals: anchor } }] } });
          if (prior) return null;
          const done = await applyRule(tx, s, rule, "TIME_ELAPSED", { anchor });
          return { id: s.id, number: s.number, brandId: s.brandId, fields: fieldsOf(done) };
        });
        if (did) {
          acted++;
          changed.push({ channel: brandChannel(did.brandId), event: "ticket.updated", data: did });
        }
      }
    }
  } finally {
    // Each ticket's transaction has committed by now; a run that failed half-way still
    // announces what it did change, so open inboxes do not wait for a reload.
    await publish(changed);
  }
  return { acted };
}
