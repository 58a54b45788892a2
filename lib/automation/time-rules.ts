import "server-only";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { activeRules, applyRule, matches, snapshot } from "@/lib/automation/engine";

const HOUR = 3_600_000;

/**
 * "Time since X" rules, run every minute by the worker: each rule looks at open and
 * pending tickets (the oldest first, a bounded batch per run) and acts on those its
 * conditions match — once per customer message: not again until the customer writes
 * again (its own notes and changes do not count). Each ticket is its own transaction.
 */
export async function runTimeRules(db: Db, now = new Date(), batch = 500) {
  const rules = (await activeRules(db)).filter((r) => r.trigger === "TIME_ELAPSED");
  let acted = 0;
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
        if (!matches(s, rule.conditions)) return false;
        const anchor = (s.lastCustomerAt ?? s.createdAt).toISOString();
        const prior = await tx.ticketEvent.count({ where: { ticketId: s.id, type: "RULE", AND: [{ data: { path: ["ruleId"], equals: rule.id } }, { data: { path: ["anchor"], equals: anchor } }] } });
        if (prior) return false;
        await applyRule(tx, s, rule, "TIME_ELAPSED", { anchor });
        return true;
      });
      if (did) acted++;
    }
  }
  return { acted };
}
