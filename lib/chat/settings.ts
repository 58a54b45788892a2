import "server-only";
import type { Tx } from "@/lib/db";
import { getSettings } from "@/lib/settings/service";

/** Capacity in force for an agent: their own, else the highest of their groups', else the desk default. */
export function capacityOf(user: { chatCapacity: number | null; groups: { group: { chatCapacity: number | null } }[] }, fallback: number) {
  if (user.chatCapacity !== null) return user.chatCapacity;
  const groupCaps = user.groups.map((g) => g.group.chatCapacity).filter((c): c is number => c !== null);
  return groupCaps.length ? Math.max(...groupCaps) : fallback;
}

export async function chatSettings(db: Tx) {
  const s = await getSettings(db, ["chat.defaultCapacity", "chat.offlineAfterMinutes", "chat.relayDelaySeconds", "chat.nameRequired", "chat.emailRequired"] as const);
  return {
    defaultCapacity: s["chat.defaultCapacity"],
    offlineAfterMinutes: s["chat.offlineAfterMinutes"],
    relayDelaySeconds: s["chat.relayDelaySeconds"],
    nameRequired: s["chat.nameRequired"],
    emailRequired: s["chat.emailRequired"],
  };
}
