import "server-only";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";
import { hotDb } from "@/lib/hot-db";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";

const secureCookie = env.APP_URL.startsWith("https://");

function parseCookies(header: string) {
  return Object.fromEntries(
    header
      .split(";")
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => {
        const i = c.indexOf("=");
        return [decodeURIComponent(c.slice(0, i)), decodeURIComponent(c.slice(i + 1))];
      }),
  );
}

type Session = { sub: string; sv: number; exp: number };
/** Decrypting a session token derives a key and runs AES each time; a desk tab sends the same token with every call. */
const decoded = new Map<string, Session>();
const DECODED_MAX = 5_000;

async function sessionOf(h: Headers, cookies: Record<string, string>): Promise<Session | null> {
  const key = Object.entries(cookies)
    .filter(([name]) => name.includes("session-token"))
    .map(([name, value]) => `${name}=${value}`)
    .join(";");
  if (!key && !h.get("authorization")) return null;
  const hit = key ? decoded.get(key) : undefined;
  if (hit && hit.exp * 1000 > Date.now()) return hit;
  const token = await getToken({ req: { headers: Object.fromEntries(h.entries()), cookies } as never, secret: env.NEXTAUTH_SECRET, secureCookie });
  if (!token?.sub || typeof token.sv !== "number") return null;
  const session = { sub: token.sub, sv: token.sv, exp: typeof token.exp === "number" ? token.exp : Math.floor(Date.now() / 1000) + 60 };
  if (key) {
    if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, session);
  }
  return session;
}

/**
 * The signed-in user of any request, from its session cookie — route handlers, the tRPC
 * endpoint, tests and benchmarks alike (no dependency on Next's request context).
 * The user row is read on every request (sessionVersion, active); only the decryption is cached.
 */
export async function userFromHeaders(h: Headers): Promise<CurrentUser | null> {
  const session = await sessionOf(h, parseCookies(h.get("cookie") ?? ""));
  if (!session) return null;
  return loadCurrentUser(hotDb(), session.sub, session.sv);
}
