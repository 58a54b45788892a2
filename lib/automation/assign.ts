import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * A3: an Online, active member of the group (groups carry their brands) — by round robin
 * (the member after the one who got the group's last ticket) or the least loaded (fewest
 * Open/Pending tickets). Busy, Away and Offline agents get nothing; null when nobody is on.
 * The group row is locked so two tickets created at once take turns.
 */
export async function pickAssignee(tx: Tx, groupId: string, _brandId: string, mode: "round_robin" | "least_loaded"): Promise<string | null> {
  await tx.$queryRaw`SELECT id FROM "Group" WHERE id = ${groupId} FOR UPDATE`;
  // After the lock (a statement of its own, so this one sees what the previous holder
  // committed): the online members, in id order.
  const members = Prisma.sql`ARRAY(SELECT u.id FROM "User" u WHERE u.active AND u."agentStatus" = 'ONLINE' AND EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = u.id AND gm."groupId" = ${groupId}) ORDER BY u.id)`;
  if (mode === "least_loaded") {
    const [row] = await tx.$queryRaw<{ ids: string[] }[]>`SELECT ${members} AS ids`;
    const ids = row!.ids;
    if (!ids.length) return null;
    const loads = await tx.ticket.groupBy({ by: ["assigneeId"], where: { assigneeId: { in: ids }, status: { in: ["OPEN", "PENDING"] }, state: "ACTIVE" }, _count: { _all: true } });
    const load = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
    return [...ids].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0))[0]!;
  }
  // Round robin: the member after the one who got the group's last ticket (the first one
  // after the end, or when nobody had one yet), remembered in the same statement.
  const key = `assign.roundRobin.${groupId}`;
  const [row] = await tx.$queryRaw<{ next: string | null }[]>`
    WITH c AS (SELECT ${members} AS ids, (SELECT value #>> '{}' FROM "Setting" WHERE key = ${key} AND jsonb_typeof(value) = 'string') AS last),
    p AS (SELECT coalesce((SELECT x FROM unnest(c.ids) WITH ORDINALITY AS m(x, n) WHERE c.last IS NOT NULL AND x > c.last ORDER BY n LIMIT 1), c.ids[1]) AS next FROM c),
    w AS (
      INSERT INTO "Setting" (id, key, value, "updatedAt")
      SELECT ${`c${randomUUID().replace(/-/g, "").slice(0, 24)}`}, ${key}, to_jsonb(p.next), ${new Date()}::timestamp(3) FROM p WHERE p.next IS NOT NULL
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = EXCLUDED."updatedAt")
    SELECT next FROM p`;
  return row?.next ?? null;
}
