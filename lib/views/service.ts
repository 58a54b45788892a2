import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { notFound } from "@/lib/errors";
import { ticketFilterSchema, type TicketFilters } from "@/lib/tickets/filters";

/** Saved inbox views: the shared ones and the user's own, with filters re-validated on read. */
export async function listViews(db: Db, user: CurrentUser) {
  const rows = await db.view.findMany({
    where: { OR: [{ ownerId: null }, { ownerId: user.id }], AND: [{ OR: [{ brandId: null }, { brandId: { in: user.brandIds } }] }] },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true, name: true, filters: true, ownerId: true },
  });
  return rows.flatMap((v) => {
    const f = ticketFilterSchema.safeParse(v.filters);
    return f.success ? [{ id: v.id, name: v.name, filters: f.data, personal: v.ownerId !== null }] : [];
  });
}

export async function saveView(db: Db, user: CurrentUser, input: { name: string; filters: TicketFilters; shared: boolean }) {
  return db.view.create({ data: { name: input.name.trim(), filters: input.filters, ownerId: input.shared ? null : user.id }, select: { id: true } });
}

export async function deleteView(db: Db, user: CurrentUser, input: { id: string; canManageShared: boolean }) {
  const v = await db.view.findUnique({ where: { id: input.id }, select: { ownerId: true } });
  if (!v || (v.ownerId ? v.ownerId !== user.id : !input.canManageShared)) throw notFound("The view");
  await db.view.delete({ where: { id: input.id } });
}
