import "server-only";
import type { Db } from "@/lib/db";
import type { AgentStatus } from "@/lib/generated/prisma/client";

export type CockpitAgent = { id: string; name: string; status: AgentStatus; since: Date; activeChats: number };
export type Cockpit = { queueLength: number; oldestQueuedAt: Date | null; activeChats: number; agents: CockpitAgent[]; at: Date };

const STATUS_ORDER: AgentStatus[] = ["ONLINE", "BREAK", "INVISIBLE", "OFFLINE"];

/**
 * R4: the live state of chat — queue length and its oldest chat, agents with their status and
 * active chats. Agents are the active users who may answer chats in one of the brands.
 */
export async function chatCockpit(db: Db, input: { brandIds: string[]; now?: Date }): Promise<Cockpit> {
  const brands = input.brandIds;
  const [queue, active, agents] = await Promise.all([
    db.chat.aggregate({ where: { brandId: { in: brands }, status: "QUEUED" }, _count: { _all: true }, _min: { queuedAt: true } }),
    db.chat.groupBy({ by: ["assigneeId"], where: { brandId: { in: brands }, status: "ACTIVE" }, _count: { _all: true } }),
    db.user.findMany({
      where: {
        active: true,
        role: { permissions: { has: "chats.answer" } },
        OR: [{ role: { permissions: { has: "brands.all" } } }, { groups: { some: { group: { brands: { some: { brandId: { in: brands } } } } } } }],
      },
      select: { id: true, name: true, agentStatus: true, agentStatusAt: true },
    }),
  ]);
  const perAgent = new Map(active.map((a) => [a.assigneeId, a._count._all]));
  return {
    queueLength: queue._count._all,
    oldestQueuedAt: queue._min.queuedAt,
    activeChats: active.reduce((n, a) => n + a._count._all, 0),
    agents: agents
      .map((a) => ({ id: a.id, name: a.name, status: a.agentStatus, since: a.agentStatusAt, activeChats: perAgent.get(a.id) ?? 0 }))
      .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || b.activeChats - a.activeChats || a.name.localeCompare(b.name)),
    at: input.now ?? new Date(),
  };
}
