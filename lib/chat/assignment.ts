import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { answersChatsOf } from "@/lib/chat/settings";
import { intSettingSql } from "@/lib/settings/service";

/** Transactions that wait for a brand's queue lock may wait behind a burst of chat starts. */
export const QUEUE_TX = { timeout: 20_000, maxWait: 10_000 } as const;

export type Assignment = {
  chatId: number;
  brandId: string;
  agentId: string;
  agentName: string;
  /** The "joined" line written to the transcript, announced to the visitor as is. */
  joined: { id: number; body: string; createdAt: Date };
  ticketNumber: number | null;
};

type Candidate = { id: string; name: string; capacity: number; load: number; lastAssignedAt: Date | null };

/**
 * Agents who may get a chat of this brand now: Online, with a desk tab seen recently, allowed
 * to answer chats in the brand (and in the group, when the chat was sent to one). Their rows
 * are locked in id order, so concurrent assignments for any brand take turns per agent and
 * the loads read afterwards are the committed truth — capacity can never be exceeded.
 */
async function lockCandidates(tx: Tx, brandId: string, groupId: string | null, onlyAgentId?: string): Promise<Candidate[]> {
  const rows = await tx.$queryRaw<{ id: string; name: string; capacity: number; load: number; last_assigned: Date | null }[]>`
    SELECT u.id, u.name,
      COALESCE(u."chatCapacity", (SELECT max(g."chatCapacity") FROM "GroupMember" gm JOIN "Group" g ON g.id = gm."groupId" WHERE gm."userId" = u.id),
        ${intSettingSql("chat.defaultCapacity")}) AS capacity,
      (SELECT count(*)::int FROM "Chat" c WHERE c."assigneeId" = u.id AND c.status = 'ACTIVE') AS load,
      (SELECT max(c."assignedAt") FROM "Chat" c WHERE c."assigneeId" = u.id) AS last_assigned
    FROM "User" u JOIN "Role" r ON r.id = u."roleId"
    WHERE u."agentStatus" = 'ONLINE' AND u."agentSeenAt" >= now() - make_interval(mins => ${intSettingSql("chat.offlineAfterMinutes")}) AND ${answersChatsOf([brandId])}
      AND (${groupId}::text IS NULL OR EXISTS (SELECT 1 FROM "GroupMember" gm WHERE gm."userId" = u.id AND gm."groupId" = ${groupId}))
      AND (${onlyAgentId ?? null}::text IS NULL OR u.id = ${onlyAgentId ?? null})
    ORDER BY u.id
    FOR UPDATE OF u`;
  return rows.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity, load: r.load, lastAssignedAt: r.last_assigned }));
}

/** Fewest active chats first; among equals, whoever waited longest since their last chat. */
function pick(candidates: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (c.load >= c.capacity) continue;
    if (!best || c.load < best.load || (c.load === best.load && (c.lastAssignedAt?.getTime() ?? 0) < (best.lastAssignedAt?.getTime() ?? 0))) best = c;
  }
  return best;
}

type Planned = { chat: { id: number; brandId: string; ticketNumber: number | null }; agent: Candidate };

/**
 * Writes a run's assignments in one statement — the chats, their "joined" lines and the
 * report events — so a burst of starts costs one round trip per run, not three per chat.
 */
async function assignAll(tx: Tx, plan: Planned[], at: Date): Promise<Assignment[]> {
  if (!plan.length) return [];
  const chatIds = plan.map((p) => p.chat.id);
  const agentIds = plan.map((p) => p.agent.id);
  const bodies = plan.map((p) => `${p.agent.name} joined the chat.`);
  const brandIds = plan.map((p) => p.chat.brandId);
  const joined = await tx.$queryRaw<{ id: number; chatId: number; body: string; createdAt: Date }[]>`
    WITH plan AS (SELECT * FROM unnest(${chatIds}::int[], ${agentIds}::text[], ${bodies}::text[], ${brandIds}::text[]) AS p("chatId", "agentId", body, "brandId")),
      c AS (UPDATE "Chat" SET status = 'ACTIVE', "assigneeId" = plan."agentId", "assignedAt" = ${at}, "updatedAt" = ${at} FROM plan WHERE "Chat".id = plan."chatId"),
      r AS (INSERT INTO "ReportEvent" (type, "brandId", "chatId", "userId", at) SELECT 'CHAT_ASSIGNED', "brandId", "chatId", "agentId", ${at} FROM plan)
    INSERT INTO "ChatMessage" ("chatId", kind, body, "createdAt") SELECT "chatId", 'SYSTEM', body, ${at} FROM plan
    RETURNING id, "chatId", body, "createdAt"`;
  const byChat = new Map(joined.map((j) => [j.chatId, j]));
  return plan.map(({ chat, agent }) => {
    const j = byChat.get(chat.id)!;
    return { chatId: chat.id, brandId: chat.brandId, agentId: agent.id, agentName: agent.name, joined: { id: j.id, body: j.body, createdAt: j.createdAt }, ticketNumber: chat.ticketNumber };
  });
}

function plan(agent: Candidate, at: Date) {
  agent.load += 1;
  agent.lastAssignedAt = at;
}

async function assignOne(tx: Tx, chat: Planned["chat"], agent: Candidate, at: Date): Promise<Assignment> {
  plan(agent, at);
  return (await assignAll(tx, [{ chat, agent }], at))[0]!;
}

/**
 * C3: gives the brand's queued chats, longest waiting first, to agents with room. One
 * transaction under a per-brand advisory lock (two queue runs of one brand never interleave),
 * with the candidate agents' rows locked, so a chat goes to exactly one agent and no agent
 * goes over capacity however many starts, resolves and status changes race.
 */
export async function drainQueue(db: Db, brandId: string): Promise<Assignment[]> {
  return db.$transaction((tx) => drainInTx(tx, brandId), { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted, ...QUEUE_TX });
}

/** The same inside the caller's transaction (a new chat is created and assigned in one commit). */
export async function drainInTx(tx: Tx, brandId: string): Promise<Assignment[]> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('chat-queue'), hashtext(${brandId}))`;
  const queued = await tx.$queryRaw<{ id: number; groupId: string | null; ticketNumber: number | null }[]>`
    SELECT c.id, c."groupId", t.number AS "ticketNumber" FROM "Chat" c LEFT JOIN "Ticket" t ON t.id = c."ticketId"
    WHERE c."brandId" = ${brandId} AND c.status = 'QUEUED' AND c."endedAt" IS NULL
    ORDER BY c."queuedAt", c.id FOR UPDATE OF c SKIP LOCKED LIMIT 500`;
  if (!queued.length) return [];
  const out: Planned[] = [];
  const byGroup = new Map<string, Candidate[]>();
  const at = new Date();
  // Candidates of the whole brand (locked once, in id order); group-bound chats choose
  // among the same locked rows.
  const all = await lockCandidates(tx, brandId, null);
  for (const chat of queued) {
    let pool = all;
    if (chat.groupId) {
      if (!byGroup.has(chat.groupId)) {
        const ids = new Set((await tx.groupMember.findMany({ where: { groupId: chat.groupId }, select: { userId: true } })).map((m) => m.userId));
        byGroup.set(chat.groupId, all.filter((c) => ids.has(c.id)));
      }
      pool = byGroup.get(chat.groupId)!;
    }
    const agent = pick(pool);
    if (!agent) {
      if (!all.some((c) => c.load < c.capacity)) break;
      continue;
    }
    plan(agent, at);
    out.push({ chat: { id: chat.id, brandId, ticketNumber: chat.ticketNumber }, agent });
  }
  return assignAll(tx, out, at);
}

/**
 * For take and transfer: the agent's row locked under the brand's queue lock, or null when
 * they may not get chats of this brand now. Callers check capacity on the returned load.
 */
export async function lockAgent(tx: Tx, brandId: string, agentId: string): Promise<Candidate | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('chat-queue'), hashtext(${brandId}))`;
  const [agent] = await lockCandidates(tx, brandId, null, agentId);
  return agent ?? null;
}

export { assignOne, type Candidate };
