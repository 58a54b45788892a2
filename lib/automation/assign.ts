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
  const members = await tx.user.findMany({
    where: { active: true, agentStatus: "ONLINE", groups: { some: { groupId } } },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  if (!members.length) return null;
  const ids = members.map((m) => m.id);
  if (mode === "least_loaded") {
    const loads = await tx.ticket.groupBy({ by: ["assigneeId"], where: { assigneeId: { in: ids }, status: { in: ["OPEN", "PENDING"] }, state: "ACTIVE" }, _count: { _all: true } });
    const load = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
    return [...ids].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0))[0]!;
  }
  const key = `assign.roundRobin.${groupId}`;
  const last = await tx.setting.findUnique({ where: { key }, select: { value: true } });
  const prev = typeof last?.value === "string" ? last.value : null;
  const next = ids.find((id) => prev !== null && id > prev) ?? ids[0]!;
  await tx.setting.upsert({ where: { key }, create: { key, value: next }, update: { value: next } });
  return next;
}
