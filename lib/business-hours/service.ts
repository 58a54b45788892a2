import "server-only";
import type { Db, Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { BusinessHours } from "@/lib/sla/schedule-schema";
import { isOpen } from "@/lib/sla/business-hours";
import { forgetSlaPolicies } from "@/lib/sla/ticket-sla";

/** Due times are computed with cached hours: an edit here clears them (after the commit). */
const forgetHours = forgetSlaPolicies;

export type BusinessHoursRecord = BusinessHours & { name: string; brandIds: string[] };

export async function listBusinessHours(db: Db) {
  const rows = await db.businessHours.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, timezone: true, schedule: true, holidays: true, brands: { select: { id: true, name: true } } },
  });
  const now = new Date();
  return rows.map((r) => {
    let openNow: boolean | null = null;
    try {
      openNow = isOpen({ timezone: r.timezone, schedule: r.schedule as BusinessHours["schedule"], holidays: r.holidays as BusinessHours["holidays"] }, now);
    } catch {
      // A calendar stored before validation existed: shown, but "open now" is unknown.
    }
    return { ...r, schedule: r.schedule as BusinessHours["schedule"], holidays: r.holidays as BusinessHours["holidays"], openNow };
  });
}

/** Brands follow exactly the calendars they are given here (a brand has one calendar). */
async function assignBrands(tx: Tx, id: string, brandIds: string[]) {
  await tx.brand.updateMany({ where: { businessHoursId: id, id: { notIn: brandIds } }, data: { businessHoursId: null } });
  if (brandIds.length) await tx.brand.updateMany({ where: { id: { in: brandIds } }, data: { businessHoursId: id } });
}

export async function createBusinessHours(db: Db, input: BusinessHoursRecord) {
  const row = await db.$transaction(async (tx) => {
    const row = await tx.businessHours.create({ data: { name: input.name, timezone: input.timezone, schedule: input.schedule, holidays: input.holidays }, select: { id: true } });
    await assignBrands(tx, row.id, input.brandIds);
    return row;
  });
  forgetHours();
  return row;
}

export async function updateBusinessHours(db: Db, input: BusinessHoursRecord & { id: string }) {
  const row = await db.$transaction(async (tx) => {
    const found = await tx.businessHours.findUnique({ where: { id: input.id }, select: { id: true } });
    if (!found) throw notFound("These business hours");
    await tx.businessHours.update({ where: { id: input.id }, data: { name: input.name, timezone: input.timezone, schedule: input.schedule, holidays: input.holidays } });
    await assignBrands(tx, input.id, input.brandIds);
    return { id: input.id };
  });
  forgetHours();
  return row;
}

export async function deleteBusinessHours(db: Db, input: { id: string }) {
  const found = await db.businessHours.findUnique({ where: { id: input.id }, select: { id: true } });
  if (!found) throw notFound("These business hours");
  await db.businessHours.delete({ where: { id: input.id } });
  forgetHours();
}
