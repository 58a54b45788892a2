import "server-only";
import type { Db } from "@/lib/db";
import type { AgentStatus } from "@/lib/generated/prisma/client";

export async function updateProfile(db: Db, userId: string, input: { name?: string; language?: string; signature?: string | null }) {
  await db.user.update({ where: { id: userId }, data: { name: input.name, language: input.language, signature: input.signature } });
}

/** Time in status restarts only when the status really changes. */
export async function setAgentStatus(db: Db, userId: string, status: AgentStatus) {
  const u = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { agentStatus: true, agentStatusAt: true } });
  if (u.agentStatus === status) return u;
  return db.user.update({ where: { id: userId }, data: { agentStatus: status, agentStatusAt: new Date() }, select: { agentStatus: true, agentStatusAt: true } });
}
