import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import type { CurrentUser } from "@/lib/auth/current-user";
import { userFromHeaders } from "@/lib/auth/request-user";

export { userFromHeaders };

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
