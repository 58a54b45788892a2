import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { availableSql, capacitySql } from "@/lib/chat/settings";
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

/** The transcript line an assignment writes, announced to the visitor as is. */
const joinedLine = (name: string) => `${name} joined the chat.`;

/**
 * One agent's row locked under the brand's queue lock (not for key updates: messages that
 * merely reference the agent go on), then their load read afresh — after the lock is held, so
 * it includes whatever a run that held them before has committed.
 */
async function lockOne(tx: Tx, brandId: string, agentId: string): Promise<Candidate | null> {
  const [locked] = await tx.$queryRaw<{ id: string; name: string; capacity: number }[]>`
    SELECT u.id, u.name, ${capacitySql(Prisma.sql`u`)} AS capacity
    FROM "User" u JOIN "Role" r ON r.id = u."roleId"
    WHERE u.id = ${agentId} AND ${availableSql([brandId])}
    FOR NO KEY UPDATE OF u`;
  if (!locked) return null;
  const [load] = await tx.$queryRaw<{ load: number; last: Date | null }[]>`
    SELECT count(*) FILTER (WHERE status = 'ACTIVE')::int AS load, max("assignedAt") AS last FROM "Chat" WHERE "assigneeId" = ${agentId}`;
  return { ...locked, load: load!.load, lastAssignedAt: load!.last };
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
  const bodies = plan.map((p) => joinedLine(p.agent.name));
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
 * C3: gives the brand's queued chats, longest waiting first, to agents with room — the agent
 * with the fewest active chats, among equals whoever waited longest since their last chat.
 * One statement (see chat_drain_queue): it finds the eligible agents, takes the brand's queue
 * lock (two runs of one brand never interleave), locks the queued chats and the agents, and
 * re-checks their status under the locks, so a chat goes to exactly one agent and no agent goes
 * over capacity however many starts, resolves and status changes race.
 */
export async function drainQueue(db: Db | Tx, brandId: string): Promise<Assignment[]> {
  const at = new Date();
  const rows = await db.$queryRaw<{ chatId: number; agentId: string; agentName: string; joinedId: number; joinedBody: string; joinedAt: Date; ticketNumber: number | null }[]>`
    WITH e AS (SELECT u.id, u.name, format(${joinedLine("%s")}, u.name) AS joined, ${capacitySql(Prisma.sql`u`)} AS capacity
      FROM "User" u JOIN "Role" r ON r.id = u."roleId" WHERE ${availableSql([brandId])})
    SELECT d.*, (SELECT name FROM e WHERE e.id = d."agentId") AS "agentName"
    FROM chat_drain_queue(${brandId},
      ARRAY(SELECT id FROM e ORDER BY id), ARRAY(SELECT capacity FROM e ORDER BY id), ARRAY(SELECT joined FROM e ORDER BY id),
      (now() - make_interval(mins => ${intSettingSql("chat.offlineAfterMinutes")}))::timestamp(3), ${at}::timestamp(3)) d`;
  return rows.map((r) => ({
    chatId: r.chatId,
    brandId,
    agentId: r.agentId,
    agentName: r.agentName,
    joined: { id: r.joinedId, body: r.joinedBody, createdAt: r.joinedAt },
    ticketNumber: r.ticketNumber,
  }));
}

/**
 * For take and transfer: the agent's row locked under the brand's queue lock, or null when
 * they may not get chats of this brand now. Callers check capacity on the returned load.
 */
export async function lockAgent(tx: Tx, brandId: string, agentId: string): Promise<Candidate | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('chat-queue'), hashtext(${brandId}))`;
  return lockOne(tx, brandId, agentId);
}

export { assignOne, type Candidate };
