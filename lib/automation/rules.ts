import "server-only";
import type { Db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { forgetRules, matches, snapshot } from "@/lib/automation/engine";
import type { RuleInput } from "@/lib/automation/schema";

const select = { id: true, name: true, brandId: true, trigger: true, conditions: true, actions: true, active: true, position: true, brand: { select: { name: true } } } as const;

export function listRules(db: Db) {
  return db.automationRule.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }], select });
}

const data = (input: RuleInput) => ({ ...input, conditions: input.conditions as Prisma.InputJsonValue, actions: input.actions as Prisma.InputJsonValue });

export async function createRule(db: Db, input: RuleInput) {
  const last = await db.automationRule.aggregate({ _max: { position: true } });
  const row = await db.automationRule.create({ data: { ...data(input), position: (last._max.position ?? -1) + 1 }, select: { id: true } });
  forgetRules();
  return row;
}

async function exists(db: Db, id: string) {
  if (!(await db.automationRule.findUnique({ where: { id }, select: { id: true } }))) throw notFound("The rule");
}

export async function updateRule(db: Db, input: RuleInput & { id: string }) {
  const { id, ...rest } = input;
  await exists(db, id);
  await db.automationRule.update({ where: { id }, data: data(rest) });
  forgetRules();
}

export async function setRuleActive(db: Db, input: { id: string; active: boolean }) {
  await exists(db, input.id);
  await db.automationRule.update({ where: { id: input.id }, data: { active: input.active } });
  forgetRules();
}

export async function deleteRule(db: Db, input: { id: string }) {
  await exists(db, input.id);
  await db.automationRule.delete({ where: { id: input.id } });
  forgetRules();
}

export async function moveRule(db: Db, input: { id: string; direction: "up" | "down" }) {
  await db.$transaction(async (tx) => {
    const all = await tx.automationRule.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true } });
    const i = all.findIndex((r) => r.id === input.id);
    if (i < 0) throw notFound("The rule");
    const j = input.direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= all.length) return;
    [all[i], all[j]] = [all[j]!, all[i]!];
    for (const [position, r] of all.entries()) await tx.automationRule.update({ where: { id: r.id }, data: { position } });
  });
  forgetRules();
}

/** Dry run: which of the latest tickets the conditions match today (nothing is changed). */
export async function previewRule(db: Db, input: { rule: Pick<RuleInput, "brandId" | "conditions">; brandIds: string[]; limit?: number }) {
  const brands = input.rule.brandId ? input.brandIds.filter((b) => b === input.rule.brandId) : input.brandIds;
  const recent = await db.ticket.findMany({ where: { brandId: { in: brands }, state: "ACTIVE", mergedIntoId: null }, orderBy: { id: "desc" }, take: input.limit ?? 100, select: { id: true } });
  const now = new Date();
  const hits: { number: number; subject: string; status: string }[] = [];
  for (const t of recent) {
    const s = await snapshot(db, t.id, now);
    if (matches(s, input.rule.conditions)) hits.push({ number: s.number, subject: s.subject, status: s.status });
  }
  return { checked: recent.length, matches: hits };
}
