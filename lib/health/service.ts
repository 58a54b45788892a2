import "server-only";
import type { Db } from "@/lib/db";

/** A worker that has not written its heartbeat for this long counts as down. */
export const HEARTBEAT_STALE_MS = 60_000;

export async function health(db: Db) {
  const started = Date.now();
  let database: { ok: boolean; latencyMs?: number; error?: string };
  try {
    await db.$queryRaw`SELECT 1`;
    database = { ok: true, latencyMs: Date.now() - started };
  } catch (e) {
    database = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  let workers: { id: string; kind: string; beatAt: Date; ok: boolean }[] = [];
  if (database.ok) {
    const beats = await db.workerHeartbeat.findMany({ orderBy: { beatAt: "desc" }, take: 20 });
    workers = beats.map((b) => ({ id: b.id, kind: b.kind, beatAt: b.beatAt, ok: Date.now() - b.beatAt.getTime() < HEARTBEAT_STALE_MS }));
  }
  const worker = { ok: workers.some((w) => w.ok && w.kind === "worker"), instances: workers };
  return { ok: database.ok && worker.ok, database, worker };
}
