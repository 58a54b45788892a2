import "server-only";
import type { Db } from "@/lib/db";
import type { Channel, Priority } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import { forgetSlaPolicies } from "@/lib/sla/ticket-sla";

export type SlaPolicyInput = {
  name: string;
  brandId: string | null;
  priority: Priority | null;
  typeId: string | null;
  channel: Channel | null;
  businessHoursId: string | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnAtPercent: number;
  pauseWhenPending: boolean;
  active: boolean;
};

const select = {
  id: true, name: true, brandId: true, priority: true, typeId: true, channel: true, businessHoursId: true, firstResponseMinutes: true, resolutionMinutes: true,
  warnAtPercent: true, pauseWhenPending: true, active: true, position: true,
  brand: { select: { name: true } }, type: { select: { name: true } }, businessHours: { select: { name: true } },
} as const;

export function listSlaPolicies(db: Db) {
  return db.slaPolicy.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }], select });
}

/** New policies go last: the first matching policy in the list applies to a ticket. */
export async function createSlaPolicy(db: Db, input: SlaPolicyInput) {
  const last = await db.slaPolicy.aggregate({ _max: { position: true } });
  const row = await db.slaPolicy.create({ data: { ...input, position: (last._max.position ?? -1) + 1 }, select: { id: true } });
  forgetSlaPolicies();
  return row;
}

export async function updateSlaPolicy(db: Db, input: SlaPolicyInput & { id: string }) {
  const { id, ...data } = input;
  if (!(await db.slaPolicy.findUnique({ where: { id }, select: { id: true } }))) throw notFound("The SLA policy");
  await db.slaPolicy.update({ where: { id }, data });
  forgetSlaPolicies();
}

export async function deleteSlaPolicy(db: Db, input: { id: string }) {
  if (!(await db.slaPolicy.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("The SLA policy");
  await db.slaPolicy.delete({ where: { id: input.id } });
  forgetSlaPolicies();
}

/** Moves a policy one place up or down in the matching order. */
export async function moveSlaPolicy(db: Db, input: { id: string; direction: "up" | "down" }) {
  await db.$transaction(async (tx) => {
    const all = await tx.slaPolicy.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true } });
    const i = all.findIndex((p) => p.id === input.id);
    if (i < 0) throw notFound("The SLA policy");
    const j = input.direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= all.length) return;
    [all[i], all[j]] = [all[j]!, all[i]!];
    for (const [position, p] of all.entries()) await tx.slaPolicy.update({ where: { id: p.id }, data: { position } });
  });
  forgetSlaPolicies();
}
