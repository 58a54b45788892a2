import "server-only";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";

/** Shared responses of the user's brands plus their personal ones. */
export async function listCannedResponses(db: Db, user: CurrentUser) {
  return db.cannedResponse.findMany({
    where: {
      AND: [
        { OR: [{ brandId: null }, { brandId: { in: user.brandIds } }] },
        { OR: [{ ownerId: null }, { ownerId: user.id }] },
      ],
    },
    orderBy: { shortcut: "asc" },
    select: { id: true, shortcut: true, title: true, body: true, ownerId: true },
  });
}
