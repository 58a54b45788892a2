import "server-only";
import type { Tx } from "@/lib/db";

/**
 * A3: an Online, active member of the group (groups carry their brands) — by round robin
 * (the member after the one who got the group's last ticket) or the least loaded (fewest
 * Open/Pending tickets). Busy, Away and Offline agents get nothing; null when nobody is on.
 * The group row is locked so two tickets created at once take turns.
 */
export async function pickAssignee(tx: Tx, groupId: string, _brandId: string, mode: "round_robin" | "least_loaded"): Promise<string | null> {
  await tx.$queryRaw`SELECT id FROM "Group" WHERE id = ${groupId} FOR UPDATE`;
  // After the lock (a statement of its own, so this one sees what the previous holder
  // committed): the online members, in id order, and the group's round-robin position.
  const key = `assign.roundRobin.${groupId}`;
  const [row] = await tx.$queryRaw<{ ids: string[]; last: unknown }[]>`
    SELECT ARRAY(SELECT u.id FROM "User" u WHERE u.active AND u."agentStatus" = 'ONLINE' AND EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = u.id AND gm."groupId" = ${groupId}) ORDER BY u.id) AS ids,
           (SELECT value FROM "Setting" WHERE key = ${key}) AS last`;
  const ids = row!.ids;
  if (!ids.length) return null;
  if (mode === "least_loaded") {
    const loads = await tx.ticket.groupBy({ by: ["assigneeId"], where: { assigneeId: { in: ids }, status: { in: ["OPEN", "PENDING"] }, state: "ACTIVE" }, _count: { _all: true } });
    const load = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
    return [...ids].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0))[0]!;
  }
  const prev = typeof row!.last === "string" ? row!.last : null;
  const next = ids.find((id) => prev !== null && id > prev) ?? ids[0]!;
  await tx.setting.upsert({ where: { key }, create: { key, value: next }, update: { value: next } });
  return next;
}
