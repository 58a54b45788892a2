import "server-only";
import type { Tx } from "@/lib/db";
import { getSettings, intSettingSql } from "@/lib/settings/service";
import { Prisma, type AgentStatus } from "@/lib/generated/prisma/client";

/**
 * Users who answer chats of these brands (by role and group access); with `present`, only
 * those in one of the statuses whose desk tab has been heard from recently.
 */
export function chatAgentsWhere(brandIds: string[], present?: { statuses: AgentStatus[]; seenSince: Date }): Prisma.UserWhereInput {
  return {
    active: true,
    role: { permissions: { has: "chats.answer" } },
    OR: [{ role: { permissions: { has: "brands.all" } } }, { groups: { some: { group: { brands: { some: { brandId: { in: brandIds } } } } } } }],
    ...(present ? { agentStatus: { in: present.statuses }, agentSeenAt: { gte: present.seenSince } } : {}),
  };
}

/** The same rule in SQL, for statements that lock or count these agents (alias `u` for User, `r` for its Role). */
export function answersChatsOf(brandIds: string[]) {
  return Prisma.sql`u.active AND 'chats.answer' = ANY (r.permissions)
    AND ('brands.all' = ANY (r.permissions) OR EXISTS (
      SELECT 1 FROM "GroupMember" gm JOIN "GroupBrand" gb ON gb."groupId" = gm."groupId" WHERE gm."userId" = u.id AND gb."brandId" = ANY (${brandIds}::text[])))`;
}

/** The same capacity in SQL, for the user row `user` (an alias such as u). */
export function capacitySql(user: Prisma.Sql) {
  return Prisma.sql`COALESCE(${user}."chatCapacity",
    (SELECT max(g."chatCapacity") FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId" WHERE gm."userId" = ${user}.id),
    ${intSettingSql("chat.defaultCapacity")})`;
}

/** Agents who may get chats of these brands now: Online, with a desk tab seen recently (alias `u` for User, `r` for its Role). */
export function availableSql(brandIds: string[]) {
  return Prisma.sql`u."agentStatus" = 'ONLINE' AND u."agentSeenAt" >= now() - make_interval(mins => ${intSettingSql("chat.offlineAfterMinutes")}) AND ${answersChatsOf(brandIds)}`;
}

/** Capacity in force for an agent: their own, else the highest of their groups', else the desk default. */
export function capacityOf(user: { chatCapacity: number | null; groups: { group: { chatCapacity: number | null } }[] }, fallback: number) {
  if (user.chatCapacity !== null) return user.chatCapacity;
  const groupCaps = user.groups.map((g) => g.group.chatCapacity).filter((c): c is number => c !== null);
  return groupCaps.length ? Math.max(...groupCaps) : fallback;
}

export async function chatSettings(db: Tx) {
  const s = await getSettings(db, ["chat.defaultCapacity", "chat.offlineAfterMinutes", "chat.relayDelaySeconds", "chat.nameRequired", "chat.emailRequired"] as const);
  return {
    defaultCapacity: s["chat.defaultCapacity"],
    offlineAfterMinutes: s["chat.offlineAfterMinutes"],
    relayDelaySeconds: s["chat.relayDelaySeconds"],
    nameRequired: s["chat.nameRequired"],
    emailRequired: s["chat.emailRequired"],
  };
}
