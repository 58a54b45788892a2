import "server-only";
import type { Db } from "@/lib/db";
import type { FormFieldKind } from "@/lib/generated/prisma/client";

type Choice = { id: string; name: string };
type Row = {
  id: string; slug: string; name: string; color: string; logoUrl: string | null; defaultLanguage: string;
  formFields: { key: string; label: string; kind: FormFieldKind; options: string[]; required: boolean }[];
  ticketTypes: Choice[]; topics: Choice[]; globalTypes: Choice[]; globalTopics: Choice[];
};

// Read on every submission and page view: kept a few seconds per brand, and cleared at
// once by this process's admin edits of the form's fields (other processes, and edits of
// the brand, its types and topics, show within CACHE_MS).
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; config: Promise<Config | null> }>();

/** After an edit of what a contact form shows or accepts. */
export function forgetFormConfig() {
  cache.clear();
}

/**
 * The brand's contact form: its fields, and the desk-wide and the brand's own active
 * types and topics — one round trip, then cached briefly.
 */
export function formConfig(db: Db, slug: string): Promise<Config | null> {
  const hit = cache.get(slug);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.config;
  // Concurrent requests share one read; a failed read or an unknown slug is not kept.
  const config = readFormConfig(db, slug);
  cache.set(slug, { at: Date.now(), config });
  config.then((c) => c ?? cache.delete(slug), () => cache.delete(slug));
  return config;
}

async function readFormConfig(db: Db, slug: string) {
  const rows = await db.$queryRaw<Row[]>`
    SELECT b.id, b.slug, b.name, b.color, b."logoUrl", b."defaultLanguage",
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
type Config = NonNullable<Awaited<ReturnType<typeof readFormConfig>>>;
export type FormConfig = Config;
