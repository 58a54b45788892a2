import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { health, HEARTBEAT_STALE_MS } from "@/lib/health/service";

describe("/api/health", () => {
  it("is healthy only while a worker's heartbeat is fresh", async () => {
    await db.workerHeartbeat.deleteMany();
    const none = await health(db);
    expect(none.database.ok).toBe(true);
    expect(none.ok).toBe(false); // the database answers, but no worker runs the jobs

    await db.workerHeartbeat.create({ data: { id: "w1", kind: "worker", pid: process.pid, startedAt: new Date(), beatAt: new Date() } });
    expect((await health(db)).ok).toBe(true);

    await db.workerHeartbeat.update({ where: { id: "w1" }, data: { beatAt: new Date(Date.now() - HEARTBEAT_STALE_MS - 1000) } });
    const stale = await health(db);
    expect(stale.ok).toBe(false);
    expect(stale.worker.instances).toEqual([expect.objectContaining({ id: "w1", ok: false })]);
  });
});
