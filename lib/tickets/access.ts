import "server-only";
import type { Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { notFound } from "@/lib/errors";

/** A ticket the user may see, by its public number. Other brands' tickets do not exist for them. */
export async function ticketForUser(db: Tx, user: Pick<CurrentUser, "brandIds">, number: number) {
  const t = await db.ticket.findUnique({ where: { number }, select: { id: true, number: true, brandId: true } });
  if (!t || !user.brandIds.includes(t.brandId)) throw notFound(`Ticket #${number}`);
  return t;
}

export async function ticketsForUser(db: Tx, user: Pick<CurrentUser, "brandIds">, ids: number[]) {
  const rows = await db.ticket.findMany({ where: { id: { in: ids }, brandId: { in: user.brandIds } }, select: { id: true, number: true, brandId: true } });
  if (rows.length !== new Set(ids).size) throw notFound("One of the selected tickets");
  return rows;
}
