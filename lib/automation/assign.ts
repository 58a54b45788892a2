import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/** The group's online members, in id order. */
const members = (groupId: string) =>
  Prisma.sql`ARRAY(SELECT u.id FROM "User" u WHERE u.active AND u."agentStatus" = 'ONLINE' AND EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = u.id AND gm."groupId" = ${groupId}) ORDER BY u.id)`;

/**
 * A3: an Online, active member of the group (groups carry their brands) — by round robin
 * (the member after the one who got the group's last ticket) or the least loaded (fewest
 * Open/Pending tickets). Busy, Away and Offline agents get nothing; null when nobody is on.
 * Two tickets created at once take turns (see each mode).
 */
export async function pickAssignee(tx: Tx, groupId: string, _brandId: string, mode: "round_robin" | "least_loaded"): Promise<string | null> {
  if (mode === "least_loaded") {
    // The group row is locked, so the next ticket counts this one.
    await tx.$queryRaw`SELECT id FROM "Group" WHERE id = ${groupId} FOR UPDATE`;
    // After the lock (a statement of its own, so this one sees what the previous holder committed).
    const [row] = await tx.$queryRaw<{ ids: string[] }[]>`SELECT ${members(groupId)} AS ids`;
    const ids = row!.ids;
    if (!ids.length) return null;
    const loads = await tx.ticket.groupBy({ by: ["assigneeId"], where: { assigneeId: { in: ids }, status: { in: ["OPEN", "PENDING"] }, state: "ACTIVE" }, _count: { _all: true } });
    const load = new Map(loads.map((l) => [l.assigneeId, l._count._all]));
    return [...ids].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0))[0]!;
  }
  const rr = roundRobinSql(groupId, "rr");
  const [row] = await tx.$queryRaw<{ next: string | null }[]>`WITH ${Prisma.join(rr.ctes, ",\n")} SELECT ${rr.next} AS next`;
  return row?.next ?? null;
}

/**
 * The round-robin pick as CTEs (named `name` and `name`_c) for a caller's statement, and the
 * picked member (NULL when nobody is on) as an expression: the member after the one who got
 * the group's last ticket (the first one after the end, or when nobody had one yet),
 * remembered in the same statement. Two tickets at once take turns on the remembered row:
 * the upsert locks it, and its update is computed from the row as the previous holder
 * committed it (a first insert that meets another's becomes that update).
 */
export function roundRobinSql(groupId: string, name: string): { ctes: Prisma.Sql[]; next: Prisma.Sql } {
  const c = Prisma.raw(`${name}_c`);
  const rr = Prisma.raw(name);
  const key = `assign.roundRobin.${groupId}`;
  const after = (last: Prisma.Sql) => Prisma.sql`coalesce((SELECT x FROM unnest(c.ids) WITH ORDINALITY AS m(x, n) WHERE ${last} IS NOT NULL AND x > ${last} ORDER BY n LIMIT 1), c.ids[1])`;
  return {
    ctes: [
      Prisma.sql`${c} AS (SELECT ${members(groupId)} AS ids)`,
      Prisma.sql`${rr} AS (
    INSERT INTO "Setting" (id, key, value, "updatedAt")
    SELECT ${`c${randomUUID().replace(/-/g, "").slice(0, 24)}`}, ${key}, to_jsonb(c.ids[1]), ${new Date()}::timestamp(3) FROM ${c} c WHERE cardinality(c.ids) > 0
    ON CONFLICT (key) DO UPDATE SET
      value = to_jsonb((SELECT ${after(Prisma.sql`(CASE WHEN jsonb_typeof("Setting".value) = 'string' THEN "Setting".value #>> '{}' END)`)} FROM ${c} c)),
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING value #>> '{}' AS next)`,
    ],
    next: Prisma.sql`(SELECT next FROM ${rr})`,
  };
}
