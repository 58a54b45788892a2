import "server-only";
import { z } from "zod";

/**
 * Configuration, read and validated once. A bad value stops the process with the
 * variable's name. During `next build` nothing runs, so required values may be absent.
 */
const isBuild = process.env.NEXT_PHASE === "phase-production-build";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  APP_URL: z.url().default("http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** 32 bytes, base64 or hex: encrypts IMAP/SMTP passwords at rest. */
  RELAYDESK_SECRET_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== null, "must be 32 bytes as 64 hex characters or base64"),
  MAIL_FROM: z.string().min(3).default("Relaydesk <desk@relaydesk.local>"),
  /** Domain used in the Message-IDs Relaydesk generates. */
  MAIL_MESSAGE_ID_DOMAIN: z.string().min(1).default("relaydesk.local"),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.url().optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  PUSHER_APP_ID: z.string().min(1).default("relaydesk"),
  PUSHER_KEY: z.string().min(1).default("relaydesk-key"),
  PUSHER_SECRET: z.string().min(8),
  PUSHER_HOST: z.string().min(1).default("127.0.0.1"),
  PUSHER_PORT: z.coerce.number().int().min(1).max(65535).default(6001),
  PUSHER_USE_TLS: bool,
  PUSHER_CLUSTER: z.string().default("local"),
  /** Host/port the browser uses for the WebSocket (defaults to the server's). */
  PUSHER_PUBLIC_HOST: z.string().optional(),
  PUSHER_PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STORAGE_DIR: z.string().default(".data/files"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(5),
  /** Run the IMAP ingest in this worker (turn off on replicas that should only run jobs). */
  INGEST_ENABLED: z.enum(["true", "false", "1", "0"]).default("true").transform((v) => v === "true" || v === "1"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof schema>;

export function decodeKey(v: string): Buffer | null {
  const hex = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, "hex") : null;
  if (hex) return hex;
  const b64 = Buffer.from(v, "base64");
  return b64.length === 32 ? b64 : null;
}

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid configuration, refusing to start:\n${lines.join("\n")}`);
  }
  return result.data;
}

function load(): Env {
  if (isBuild) {
    return schema.parse({
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://build@localhost/build",
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "build-time-placeholder-secret-000000000",
      RELAYDESK_SECRET_KEY: process.env.RELAYDESK_SECRET_KEY ?? "0".repeat(64),
      PUSHER_SECRET: process.env.PUSHER_SECRET ?? "build-placeholder",
    });
  }
  return parseEnv(process.env);
}

export const env: Env = load();

export type MailTransportKind = "resend" | "smtp" | "capture";
export const mailTransport: MailTransportKind = env.RESEND_API_KEY ? "resend" : env.SMTP_URL ? "smtp" : "capture";
