import "server-only";
import { getToken } from "next-auth/jwt";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
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

/**
 * The signed-in user of any request, from its session cookie — route handlers, the tRPC
 * endpoint, tests and benchmarks alike (no dependency on Next's request context).
 */
export async function userFromHeaders(h: Headers): Promise<CurrentUser | null> {
  const token = await getToken({
    req: { headers: Object.fromEntries(h.entries()), cookies: parseCookies(h.get("cookie") ?? "") } as never,
    secret: env.NEXTAUTH_SECRET,
    secureCookie,
  });
  if (!token?.sub || typeof token.sv !== "number") return null;
  return loadCurrentUser(db, token.sub, token.sv);
}
