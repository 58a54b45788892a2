import "server-only";
import type { Db } from "@/lib/db";
import { getSetting } from "@/lib/settings/service";

/**
 * Mailboxes that have been failing for longer than the configured grace period,
 * for the alert banner in the desk: a short outage the worker recovers from on its
 * own should not alarm anyone.
 */
export async function failingMailboxes(db: Db, brandIds: string[], now = new Date()) {
  const minutes = await getSetting(db, "mail.alertAfterMinutes");
  const since = new Date(now.getTime() - minutes * 60_000);
  const rows = await db.mailbox.findMany({
    where: { brandId: { in: brandIds }, active: true, health: "ERROR", errorSince: { lte: since } },
    orderBy: { errorSince: "asc" },
    select: { id: true, name: true, address: true, lastError: true, errorSince: true },
  });
  return { minutes, mailboxes: rows };
}
