import "server-only";
import type { Db } from "@/lib/db";
import type { AgentStatus } from "@/lib/generated/prisma/client";
import { publish } from "@/lib/realtime/publish";
import { brandChannel, userChannel } from "@/lib/realtime/channels";
import { requestDrain } from "@/lib/chat/events";

export async function updateProfile(db: Db, userId: string, input: { name?: string; language?: string; signature?: string | null }) {
  await db.user.update({ where: { id: userId }, data: { name: input.name, language: input.language, signature: input.signature } });
}

export const agentBrandsSelect = { role: { select: { permissions: true } }, groups: { select: { group: { select: { brands: { select: { brandId: true } } } } } } } as const;
type AgentBrands = { role: { permissions: string[] }; groups: { group: { brands: { brandId: string }[] } }[] };

/**
 * After a status change is written: every brand the agent works in hears it (the chat
 * cockpit, online counters), and so do the agent's own tabs (their user menu), which
 * hear nothing on brand channels when they have no brand. Returns the brands.
 */
export async function announceAgentStatus(db: Db, userId: string, u: AgentBrands & { agentStatus: AgentStatus; agentStatusAt: Date }) {
  const brandIds = u.role.permissions.includes("brands.all")
    ? (await db.brand.findMany({ select: { id: true } })).map((b) => b.id)
    : [...new Set(u.groups.flatMap((g) => g.group.brands.map((b) => b.brandId)))];
  const data = { userId, status: u.agentStatus, at: u.agentStatusAt.toISOString() };
  await publish([...brandIds.map((id) => ({ channel: brandChannel(id), event: "agent.status" as const, data })), { channel: userChannel(userId), event: "agent.status" as const, data }]);
  return brandIds;
}

/** Time in status restarts only when the status really changes. */
export async function setAgentStatus(db: Db, userId: string, status: AgentStatus) {
  const u = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { agentStatus: true, agentStatusAt: true } });
  if (u.agentStatus === status) return u;
  const updated = await db.user.update({
    where: { id: userId },
    // Choosing Online in a desk tab is also a sign of life for chat assignment.
    data: { agentStatus: status, agentStatusAt: new Date(), ...(status === "ONLINE" ? { agentSeenAt: new Date() } : {}) },
    select: { agentStatus: true, agentStatusAt: true, ...agentBrandsSelect },
  });
  const brandIds = await announceAgentStatus(db, userId, updated);
  // C3: an agent coming Online takes the longest-waiting chats of their brands.
  if (status === "ONLINE") for (const id of brandIds) await requestDrain(db, id);
  return { agentStatus: updated.agentStatus, agentStatusAt: updated.agentStatusAt };
}
