import "server-only";
import { z } from "zod";
import type { Tx } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Per-brand look of every email (E11), kept in Brand.settings.emailAppearance. */
export const appearanceSchema = z.object({
  headerText: z.string().trim().max(200).nullable().default(null),
  signature: z.string().trim().max(1000).nullable().default(null),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #4f46e5.").default("#4f46e5"),
  senderName: z.string().trim().max(120).nullable().default(null),
});
export type Appearance = z.infer<typeof appearanceSchema>;

export const DEFAULT_APPEARANCE: Appearance = appearanceSchema.parse({});

export function appearanceFromSettings(settings: Prisma.JsonValue): Appearance {
  const raw = settings && typeof settings === "object" && !Array.isArray(settings) ? (settings as Record<string, unknown>).emailAppearance : undefined;
  const parsed = appearanceSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : DEFAULT_APPEARANCE;
}

export async function getAppearance(db: Tx, brandId: string | null): Promise<Appearance> {
  if (!brandId) return DEFAULT_APPEARANCE;
  const b = await db.brand.findUnique({ where: { id: brandId }, select: { settings: true } });
  return b ? appearanceFromSettings(b.settings) : DEFAULT_APPEARANCE;
}

/** Read-modify-write inside a transaction, keeping the brand's other settings. */
export async function setAppearance(db: Tx & { $transaction?: unknown }, brandId: string, input: Partial<Appearance>) {
  const value = appearanceSchema.parse({ ...input, headerText: input.headerText || null, signature: input.signature || null, senderName: input.senderName || null });
  const b = await db.brand.findUnique({ where: { id: brandId }, select: { settings: true } });
  if (!b) throw notFound("The brand");
  const settings = b.settings && typeof b.settings === "object" && !Array.isArray(b.settings) ? (b.settings as Record<string, Prisma.InputJsonValue>) : {};
  await db.brand.update({ where: { id: brandId }, data: { settings: { ...settings, emailAppearance: value } } });
  return value;
}
