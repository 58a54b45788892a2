import os from "node:os";
import type { Db } from "@/lib/db";

/** Writes this process's heartbeat so /api/health can tell whether a worker is alive. */
export function startHeartbeat(db: Db, kind: string, info: () => Record<string, unknown> = () => ({})) {
  const id = `${kind}:${os.hostname()}:${process.pid}`;
  const startedAt = new Date();
  const beat = async () => {
    const data = { kind, pid: process.pid, startedAt, beatAt: new Date(), info: info() as object };
    await db.workerHeartbeat.upsert({ where: { id }, create: { id, ...data }, update: data }).catch((e: unknown) => {
      console.error("[worker] heartbeat failed:", e instanceof Error ? e.message : e);
    });
  };
  void beat();
  const timer = setInterval(beat, 10_000);
  return {
    id,
    async stop() {
      clearInterval(timer);
      await db.workerHeartbeat.delete({ where: { id } }).catch(() => {});
    },
  };
}
