/**
 * The worker process: durable jobs (graphile-worker) and, as they arrive, mail ingest.
 * SIGTERM/SIGINT stop it gracefully: running jobs finish, nothing new starts.
 */
import { run, Logger } from "graphile-worker";
import pg from "pg";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { CRONTAB, taskList } from "@/workers/tasks";
import { startHeartbeat } from "@/workers/heartbeat";
import { startIngest } from "@/lib/mail/ingest/supervisor";

async function main() {
  // The process's one Prisma client (lib/db): a second one would hold its own engine and pool.
  const logger = new Logger((scope) => (level, message) => {
    if (level === "debug" && env.LOG_LEVEL !== "debug") return;
    const line = `[worker${scope.taskIdentifier ? `:${scope.taskIdentifier}` : ""}] ${message}`;
    if (level === "error" || level === "warning") console.error(line);
    else if (env.LOG_LEVEL === "debug" || level !== "info" || !message.startsWith("Completed task")) console.log(line);
  });
  // Our own pool with a permanent error listener: an idle connection dropped by a
  // database restart must not crash the worker (graphile's listener goes at stop()).
  const pgPool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.WORKER_CONCURRENCY + 2 });
  pgPool.on("error", (e) => console.error(`[worker] database connection lost: ${e.message}`));
  const runner = await run({
    pgPool,
    concurrency: env.WORKER_CONCURRENCY,
    taskList: taskList(db),
    logger,
    noHandleSignals: true,
    pollInterval: 2000,
    crontab: CRONTAB,
  });
  const heartbeat = startHeartbeat(db, "worker");
  const ingest = env.INGEST_ENABLED ? startIngest(db, { log: (line) => console.log(line) }) : null;
  console.log(`[worker] started (concurrency ${env.WORKER_CONCURRENCY}${ingest ? ", mail ingest on" : ""})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing running jobs…`);
    await ingest?.stop();
    await runner.stop();
    await pgPool.end();
    await heartbeat.stop();
    await db.$disconnect();
    console.log("[worker] stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await runner.promise;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
