import "server-only";
import type { Db } from "@/lib/db";
import type { FormFieldKind } from "@/lib/generated/prisma/client";

type Choice = { id: string; name: string };
type Row = {
  id: string; slug: string; name: string; color: string; logoUrl: string | null; defaultLanguage: string;
  formFields: { key: string; label: string; kind: FormFieldKind; options: string[]; required: boolean }[];
  ticketTypes: Choice[]; topics: Choice[]; globalTypes: Choice[]; globalTopics: Choice[];
  /** FormConfigVersion when this was read: a submission checked against it finds out whether it still holds. */
  version: string;
};

/**
 * The brand's contact form as it is now: its fields, and the desk-wide and the brand's own
 * active types and topics, with the count of changes they are at — one round trip.
 */
export async function formConfig(db: Db, slug: string) {
  const rows = await db.$queryRaw<Row[]>`
    SELECT (SELECT v.version::text FROM "FormConfigVersion" v WHERE v.id = 1) AS version, b.id, b.slug, b.name, b.color, b."logoUrl", b."defaultLanguage",
      COALESCE((SELECT json_agg(json_build_object('key', f.key, 'label', f.label, 'kind', f.kind, 'options', f.options, 'required', f.required) ORDER BY f.position) FROM "FormField" f WHERE f."brandId" = b.id), '[]') AS "formFields",
      COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name)) FROM "TicketType" t WHERE t."brandId" = b.id AND t.active), '[]') AS "ticketTypes",
      COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name)) FROM "Topic" t WHERE t."brandId" = b.id AND t.active), '[]') AS topics,
      COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.position) FROM "TicketType" t WHERE t."brandId" IS NULL AND t.active), '[]') AS "globalTypes",
      COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.position) FROM "Topic" t WHERE t."brandId" IS NULL AND t.active), '[]') AS "globalTopics"
    FROM "Brand" b WHERE b.slug = ${slug}`;
  const r = rows[0];
  if (!r) return null;
  const { globalTypes, globalTopics, ...brand } = r;
  return { ...brand, types: [...globalTypes, ...brand.ticketTypes], topics: [...globalTopics, ...brand.topics] };
}
export type FormConfig = NonNullable<Awaited<ReturnType<typeof formConfig>>>;

// Shared by every copy of this module in the process (Next.js bundles it once per layer).
const kept = ((globalThis as { relaydeskFormConfigs?: Map<string, Promise<FormConfig | null>> }).relaydeskFormConfigs ??= new Map());

/**
 * The brand's contact form as this process last read it (read when `fresh` or not yet
 * kept). Only for a submission, which checks the version in its own first statement
 * (postContactForm): no round trip of its own, and never stale where it matters.
 */
export function keptFormConfig(db: Db, slug: string, fresh = false): Promise<FormConfig | null> {
  const hit = kept.get(slug);
  if (hit && !fresh) return hit;
  const read = formConfig(db, slug);
  kept.set(slug, read);
  // An unknown slug or a failed read is not kept.
  const forget = () => kept.get(slug) === read && kept.delete(slug);
  read.then((c) => c ?? forget(), forget);
  return read;
}
