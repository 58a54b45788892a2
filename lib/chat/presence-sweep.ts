import "server-only";
import type { Db } from "@/lib/db";
import { chatSettings } from "@/lib/chat/settings";
import { setAgentStatus } from "@/lib/users/profile";

/**
 * C2: Online agents whose desk tabs have all been gone for longer than the setting are set
 * Offline, so the queue stops waiting for them and the cockpit tells the truth.
 */
export async function sweepAbsentAgents(db: Db): Promise<{ offline: number }> {
  const s = await chatSettings(db);
  const since = new Date(Date.now() - s.offlineAfterMinutes * 60_000);
  const gone = await db.user.findMany({ where: { agentStatus: "ONLINE", OR: [{ agentSeenAt: null }, { agentSeenAt: { lt: since } }] }, select: { id: true } });
  for (const u of gone) await setAgentStatus(db, u.id, "OFFLINE");
  return { offline: gone.length };
}
