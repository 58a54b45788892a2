import "server-only";
import { cookies, headers } from "next/headers";
import { getToken } from "next-auth/jwt";
import { cache } from "react";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";

const secureCookie = env.APP_URL.startsWith("https://");

/** Reads the session JWT from any request's headers (route handlers, tests, server components). */
export async function userFromHeaders(h: Headers): Promise<CurrentUser | null> {
  const cookieHeader = h.get("cookie") ?? "";
  const cookieObj = Object.fromEntries(
    cookieHeader
      .split(";")
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => {
        const i = c.indexOf("=");
        return [decodeURIComponent(c.slice(0, i)), decodeURIComponent(c.slice(i + 1))];
      }),
  );
  const token = await getToken({
    req: { headers: Object.fromEntries(h.entries()), cookies: cookieObj } as never,
    secret: env.NEXTAUTH_SECRET,
    secureCookie,
  });
  if (!token?.sub || typeof token.sv !== "number") return null;
  return loadCurrentUser(db, token.sub, token.sv);
}

/** The signed-in user for this server render (cached per request). */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const h = await headers();
  // cookies() read keeps Next's dynamic-rendering detection honest.
  await cookies();
  return userFromHeaders(h);
});

export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  return user;
}
