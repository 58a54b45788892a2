import "server-only";
import type { Tx } from "@/lib/db";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/lib/i18n/config";
import { escapeHtml } from "@/lib/mail/templates/layout";
import { appearanceFromSettings, DEFAULT_APPEARANCE, getAppearance, type Appearance } from "@/lib/mail/templates/appearance";
import { Prisma } from "@/lib/generated/prisma/client";
import { fillPlaceholders, TEMPLATES, type TemplateKey } from "@/lib/mail/templates/catalog";

export type RenderInput = {
  key: TemplateKey;
  /** The recipient's language (Customer.language or User.language); the brand's default otherwise. */
  language?: string | null;
  brandId?: string | null;
  vars: Record<string, string | number | null | undefined>;
  /** The agent's sanitised HTML and its text, for {{message.body}}. */
  message?: { html: string; text: string };
  action?: { label: string; url: string };
  /** Unsaved text from the admin editor (preview). */
  draft?: { subject: string; body: string };
  /** The brand's language, look and texts as read beforehand (templateDataSql with this brand and key; texts not needed with a draft). */
  data?: TemplateData;
};

export type Rendered = { subject: string; html: string; text: string; language: Locale };

/** The recipient's language if the desk has templates in it, else the brand's, else English. */
export async function templateLanguage(db: Tx, preferred: string | null | undefined, brandId: string | null | undefined): Promise<Locale> {
  if (isLocale(preferred)) return preferred;
  const brand = brandId ? await db.brand.findUnique({ where: { id: brandId }, select: { defaultLanguage: true } }) : null;
  return isLocale(brand?.defaultLanguage) ? brand.defaultLanguage : DEFAULT_LOCALE;
}

/** The template text in force: the brand's own, else a desk-wide one, else the default. */
export async function templateText(db: Tx, key: TemplateKey, language: Locale, brandId: string | null) {
  const rows = await db.template.findMany({
    where: { key, language, OR: [{ brandId: null }, ...(brandId ? [{ brandId }] : [])] },
    select: { brandId: true, subject: true, body: true },
  });
  const row = rows.find((r) => r.brandId === brandId && brandId) ?? rows.find((r) => r.brandId === null);
  return row ? { subject: row.subject, body: row.body, custom: true } : { ...TEMPLATES[key].defaults(language), custom: false };
}

function buttonHtml(a: { label: string; url: string }, color: string) {
  return `<p style="margin:24px 0"><a href="${escapeHtml(a.url)}" style="background:${color};color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(a.label)}</a></p><p style="font-size:12px;color:#6b7280;word-break:break-all">${escapeHtml(a.url)}</p>`;
}

function headerHtml(look: Appearance) {
  return look.headerText ? `<div style="border-bottom:3px solid ${look.color};padding:0 0 12px;margin:0 0 20px;font-weight:600;color:${look.color}">${escapeHtml(look.headerText)}</div>` : "";
}

/** What a render reads: the brand's language and look, and (without a draft) the key's stored texts for the brand and desk-wide. */
export type TemplateData = { defaultLanguage: string | null; settings: Prisma.JsonValue | null; brandFound: boolean; templates: { key?: string; brandId: string | null; language: string; subject: string; body: string }[] | null };

/**
 * TemplateData as one JSON value, for a caller's statement to read along and pass to
 * renderTemplate as `data`: the brand (an SQL expression, NULL for none) and every key it may render.
 */
export function templateDataSql(brandId: Prisma.Sql, keys: TemplateKey[]): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('defaultLanguage', b."defaultLanguage", 'settings', b.settings, 'brandFound', b.id IS NOT NULL,
      'templates', (SELECT json_agg(json_build_object('key', t.key, 'brandId', t."brandId", 'language', t.language, 'subject', t.subject, 'body', t.body)) FROM "Template" t WHERE t.key = ANY(${keys}::text[]) AND (t."brandId" IS NULL OR t."brandId" = b.id)))
    FROM (SELECT 1) one LEFT JOIN "Brand" b ON b.id = ${brandId})`;
}

/** What a render reads, in one round trip (unless the caller read it along: `input.data`); then the same choices as templateLanguage, templateText and getAppearance. */
async function renderSources(db: Tx, input: RenderInput): Promise<{ language: Locale; source: { subject: string; body: string }; look: Appearance }> {
  const brandId = input.brandId ?? null;
  const r: TemplateData = input.data
    ? { ...input.data, templates: input.data.templates?.filter((t) => t.key === input.key) ?? null }
    : (
        await db.$queryRaw<TemplateData[]>`
    SELECT b."defaultLanguage", b.settings, (b.id IS NOT NULL) AS "brandFound",
           ${input.draft ? Prisma.sql`NULL::json` : Prisma.sql`(SELECT json_agg(json_build_object('brandId', t."brandId", 'language', t.language, 'subject', t.subject, 'body', t.body)) FROM "Template" t WHERE t.key = ${input.key} AND (t."brandId" IS NULL OR t."brandId" = ${brandId}))`} AS templates
    FROM (SELECT 1) x LEFT JOIN "Brand" b ON b.id = ${brandId}`
      )[0]!;
  const language: Locale = isLocale(input.language) ? input.language : brandId && isLocale(r.defaultLanguage) ? r.defaultLanguage : DEFAULT_LOCALE;
  const look = brandId && r.brandFound ? appearanceFromSettings(r.settings) : DEFAULT_APPEARANCE;
  if (input.draft) return { language, source: input.draft, look };
  const texts = (r.templates ?? []).filter((t) => t.language === language);
  const row = texts.find((t) => t.brandId === brandId && brandId) ?? texts.find((t) => t.brandId === null);
  return { language, source: row ? { subject: row.subject, body: row.body } : TEMPLATES[input.key].defaults(language), look };
}

export async function renderTemplate(db: Tx, input: RenderInput): Promise<Rendered> {
  const { language, source, look } = await renderSources(db, input);
  const def = TEMPLATES[input.key];
  const vars = Object.fromEntries(Object.entries(input.vars).map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)]));

  const subject = fillPlaceholders(source.subject, vars).replace(/\s+/g, " ").trim();
  const htmlParts: string[] = [];
  const textParts: string[] = [];
  for (const para of source.body.replace(/\r\n/g, "\n").split(/\n\s*\n/)) {
    const trimmed = para.trim();
    if (trimmed === "{{message.body}}") {
      if (input.message) {
        htmlParts.push(input.message.html);
        textParts.push(input.message.text);
      }
    } else if (trimmed === "{{button}}") {
      if (input.action) {
        htmlParts.push(buttonHtml(input.action, look.color));
        textParts.push(`${input.action.label}: ${input.action.url}`);
      }
    } else {
      const text = fillPlaceholders(trimmed, vars).trim();
      if (!text) continue;
      htmlParts.push(`<p style="margin:0 0 16px">${fillPlaceholders(escapeHtml(trimmed), vars, escapeHtml).trim().replace(/\n/g, "<br>")}</p>`);
      textParts.push(text);
    }
  }
  if (look.signature) {
    htmlParts.push(`<p style="margin:24px 0 0;font-size:13px;color:#6b7280">${escapeHtml(look.signature).replace(/\n/g, "<br>")}</p>`);
    textParts.push(`--\n${look.signature}`);
  }

  const title = def.layout === "notice" ? `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(subject)}</h1>` : "";
  const html =
    def.layout === "notice"
      ? `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111827;max-width:560px;margin:0 auto;padding:24px">${headerHtml(look)}${title}${htmlParts.join("")}</body></html>`
      : `<!doctype html><html><body style="font-family:system-ui,sans-serif">${headerHtml(look)}${htmlParts.join("")}</body></html>`;
  const text = [...(def.layout === "notice" ? [subject, ""] : []), textParts.join("\n\n")].join("\n");
  return { subject, html, text, language };
}

/** "Name (Display) <address>" for a mailbox's From, using the brand's sender name when set. */
export async function senderFor(db: Tx, brandId: string, mailbox: { name: string; address: string }, agentName?: string) {
  const look = await getAppearance(db, brandId);
  const display = look.senderName || mailbox.name;
  const name = agentName ? `${agentName} (${display})` : display;
  return `"${name.replace(/["\\]/g, "")}" <${mailbox.address}>`;
}
