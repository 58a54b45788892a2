import "server-only";
import { z } from "zod";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

/** Desk-wide settings with their defaults; stored values are validated on read. */
export const SETTINGS = {
  "tickets.requireTopicToResolve": z.boolean().default(false),
  "tickets.notifyCustomerOnAssign": z.boolean().default(false),
  "trash.retentionDays": z.number().int().min(1).max(3650).default(30),
  /** A mailbox failing longer than this raises the alert banner in the desk. */
  "mail.alertAfterMinutes": z.number().int().min(1).max(1440).default(15),
  /** C3: concurrent chats per agent when neither the agent nor their group sets one. */
  "chat.defaultCapacity": z.number().int().min(1).max(50).default(3),
  /** C2: an Online agent with no open desk tab for this long gets no chats (and is set Offline). */
  "chat.offlineAfterMinutes": z.number().int().min(1).max(1440).default(5),
  /** C8: an agent message the visitor has not seen after this long is emailed to them. */
  "chat.relayDelaySeconds": z.number().int().min(5).max(86_400).default(60),
  "chat.nameRequired": z.boolean().default(true),
  "chat.emailRequired": z.boolean().default(false),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;

/** A stored value (or undefined when there is none) as the setting's type, its default when invalid. */
export function settingValue<K extends SettingKey>(key: K, stored: unknown): SettingValue<K> {
  const parsed = SETTINGS[key].safeParse(stored ?? undefined);
  return (parsed.success ? parsed.data : SETTINGS[key].parse(undefined)) as SettingValue<K>;
}

type IntSettingKey = { [K in SettingKey]: SettingValue<K> extends number ? K : never }[SettingKey];

/**
 * An integer setting read inside a larger statement (saves a round trip on hot paths), with
 * the same default for a missing or out-of-range value as settingValue gives.
 */
export function intSettingSql(key: IntSettingKey) {
  const schema = SETTINGS[key];
  const { minValue, maxValue } = schema.unwrap();
  return Prisma.sql`(SELECT COALESCE(max(CASE WHEN jsonb_typeof(value) = 'number' AND value::numeric = trunc(value::numeric)
      AND value::numeric BETWEEN ${minValue ?? -2147483648} AND ${maxValue ?? 2147483647} THEN (value::numeric)::int END), ${schema.parse(undefined)}::int)
    FROM "Setting" WHERE key = ${key})`;
}

export async function getSetting<K extends SettingKey>(db: Tx, key: K): Promise<SettingValue<K>> {
  const row = await db.setting.findUnique({ where: { key }, select: { value: true } });
  return settingValue(key, row?.value);
}

export async function setSetting<K extends SettingKey>(db: Tx, key: K, value: SettingValue<K>) {
  const v = SETTINGS[key].parse(value);
  await db.setting.upsert({ where: { key }, create: { key, value: v }, update: { value: v } });
}

/** Several settings in one query (safe inside a transaction, which has one connection). */
export async function getSettings<K extends SettingKey>(db: Tx, keys: readonly K[]): Promise<{ [P in K]: SettingValue<P> }> {
  const rows = await db.setting.findMany({ where: { key: { in: [...keys] } }, select: { key: true, value: true } });
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return Object.fromEntries(
    keys.map((k) => {
      const parsed = SETTINGS[k].safeParse(stored.get(k) ?? undefined);
      return [k, parsed.success ? parsed.data : SETTINGS[k].parse(undefined)];
    }),
  ) as { [P in K]: SettingValue<P> };
}
