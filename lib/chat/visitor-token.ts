import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * The widget's identity: the visitor id and brand, signed with the desk's secret. It is
 * kept in the iframe's storage, so a returning visitor resumes their chat, and it is the
 * only thing that opens a chat's channel or messages to someone without a desk account.
 */
const sign = (body: string) => createHmac("sha256", env.NEXTAUTH_SECRET).update(`chat-visitor:${body}`).digest("base64url");

export function signVisitorToken(visitorId: string, brandId: string): string {
  const body = `${visitorId}.${brandId}`;
  return `v1.${body}.${sign(body)}`;
}

export function verifyVisitorToken(token: string | null | undefined): { visitorId: string; brandId: string } | null {
  if (!token || token.length > 300) return null;
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== "v1") return null;
  const [, visitorId, brandId, sig] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(`${visitorId}.${brandId}`));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { visitorId, brandId };
}
