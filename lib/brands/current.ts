import "server-only";
import { cookies } from "next/headers";
import type { CurrentUser } from "@/lib/auth/current-user";

export const BRAND_COOKIE = "rd-brand";

/** The brand chosen in the switcher, or null for "all my brands". Never one the user can't access. */
export async function selectedBrandId(user: CurrentUser): Promise<string | null> {
  const v = (await cookies()).get(BRAND_COOKIE)?.value;
  return v && user.brandIds.includes(v) ? v : null;
}
