import "server-only";
import { z } from "zod";
import type { Tx } from "@/lib/db";

/** Desk-wide settings with their defaults; stored values are validated on read. */
export const SETTINGS = {
  "tickets.requireTopicToResolve": z.boolean().default(false),
  "tickets.notifyCustomerOnAssign": z.boolean().default(false),
  "trash.retentionDays": z.number().int().min(1).max(3650).default(30),
  /** A mailbox failing longer than this raises the alert banner in the desk. */
  "mail.alertAfterMinutes": z.number().int().min(1).max(1440).default(15),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;

export async function getSetting<K extends SettingKey>(db: Tx, key: K): Promise<SettingValue<K>> {
  const row = await db.setting.findUnique({ where: { key }, select: { value: true } });
  const parsed = SETTINGS[key].safeParse(row?.value ?? undefined);
  return (parsed.success ? parsed.data : SETTINGS[key].parse(undefined)) as SettingValue<K>;
}

export async function setSetting<K extends SettingKey>(db: Tx, key: K, value: SettingValue<K>) {
  const v = SETTINGS[key].parse(value);
  await db.setting.upsert({ where: { key }, create: { key, value: v }, update: { value: v } });
}
