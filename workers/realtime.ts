/**
 * The realtime process: a Pusher-protocol server for one app, configured from
 * the same PUSHER_* variables the web app publishes with. SIGTERM/SIGINT close
 * every socket with 4200 so browsers reconnect to the next instance at once.
 */
import { z } from "zod";
import { startRealtimeServer, type LogLevel } from "@/lib/realtime/server";

const EnvSchema = z.object({
  // Same defaults and rules as the web app's lib/env.ts, so one .env configures both ends.
  PUSHER_APP_ID: z.string().trim().min(1).default("relaydesk"),
  PUSHER_KEY: z.string().trim().min(1).default("relaydesk-key"),
  PUSHER_SECRET: z.string({ error: "is required" }).min(8, "must be at least 8 characters"),
  PUSHER_PORT: z.coerce.number().int().min(1).max(65535).default(6001),
  PUSHER_HOST: z.string().trim().min(1).default("127.0.0.1"),
  REALTIME_WEBHOOK_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

function readEnv() {
  const parsed = EnvSchema.safeParse(process.env);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    console.error(`[realtime] invalid environment variable ${issue.path.join(".")}: ${issue.message}`);
  }
  process.exit(1);
}

const LEVELS: LogLevel[] = ["debug", "info", "warn", "error"];

async function main() {
  const env = readEnv();
  const minLevel = LEVELS.indexOf(env.LOG_LEVEL);
  const server = await startRealtimeServer({
    host: env.PUSHER_HOST,
    port: env.PUSHER_PORT,
    apps: [{ id: env.PUSHER_APP_ID, key: env.PUSHER_KEY, secret: env.PUSHER_SECRET, webhookUrl: env.REALTIME_WEBHOOK_URL }],
    logger: (level, msg, data) => {
      if (LEVELS.indexOf(level) < minLevel || msg === "listening") return;
      const line = `[realtime] ${msg}${data ? ` ${JSON.stringify(data)}` : ""}`;
      if (level === "warn" || level === "error") console.error(line);
      else console.log(line);
    },
  });
  console.log(`realtime server listening on http://${env.PUSHER_HOST}:${server.port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[realtime] ${signal}: closing connections…`);
    // A hung close must not keep an orchestrator waiting forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error("[realtime] shutdown failed:", e);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((e: unknown) => {
  console.error("[realtime] failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});
