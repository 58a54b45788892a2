import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ParsedEmail } from "@/lib/mail/parse";
import { hit } from "@/lib/ratelimit/service";

/** Machine-sent mail (auto-replies, lists, bulk, bounces, mailer daemons): never answer it automatically. */
export function isAutomatedMail(parsed: Pick<ParsedEmail, "autoSubmitted" | "isBounce" | "headers" | "from">): boolean {
  if (parsed.autoSubmitted || parsed.isBounce) return true;
  const h = parsed.headers;
  if (h["x-auto-response-suppress"] && /\b(all|autoreply|oof)\b/i.test(h["x-auto-response-suppress"])) return true;
  if (h["list-id"] || h["list-unsubscribe"]) return true;
  if (/^(bulk|junk|list|auto_reply)$/i.test(h.precedence ?? "")) return true;
  return /^(mailer-daemon|postmaster|no-?reply|bounces?)(\+|@)/i.test(parsed.from?.address ?? "");
}

/**
 * True when mail from this address must not open tickets or receive mail: an entry of
 * the outgoing-email filter (address or @domain), or one of our own mailbox addresses
 * (which would make Relaydesk talk to itself). The filter is global today; the brand is
 * part of the signature for per-brand filters.
 */
export async function isBlockedAddress(db: Tx, _brandId: string | null, address: string): Promise<boolean> {
  // One statement (inside a transaction there is one connection).
  const rows = await db.$queryRaw<{ blocked: boolean }[]>`SELECT ${blockedAddressSql(address)} AS blocked`;
  return rows[0]?.blocked === true;
}

/** isBlockedAddress as an SQL expression, for callers that fold it into another statement. */
export function blockedAddressSql(address: string): Prisma.Sql {
  const a = address.trim().toLowerCase();
  const domain = a.slice(a.lastIndexOf("@"));
  // The same matching as Prisma's case-insensitive "in" (LOWER … IN) and "equals" (ILIKE).
  return Prisma.sql`(EXISTS (SELECT 1 FROM "Blocklist" WHERE LOWER(pattern) IN (LOWER(${a}), LOWER(${domain})))
        OR EXISTS (SELECT 1 FROM "Mailbox" WHERE address ILIKE ${a} OR "forwardingAddress" ILIKE ${a}))`;
}

export const AUTO_REPLY_LIMIT = { perHour: 3 };

/** Counts an automatic answer to this sender; false once the hourly allowance is used (mail loops end here). */
export async function takeAutoReplyAllowance(db: Tx, brandId: string, address: string): Promise<boolean> {
  const r = await hit(db, `autoreply:${brandId}:${address.trim().toLowerCase()}`, AUTO_REPLY_LIMIT.perHour, 3600);
  return r.allowed;
}
