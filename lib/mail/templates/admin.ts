import "server-only";
import type { Db } from "@/lib/db";
import { badRequest, forbidden } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/config";
import { translator } from "@/lib/i18n/messages";
import { getAppearance, setAppearance, type Appearance } from "@/lib/mail/templates/appearance";
import { TEMPLATE_KEYS, TEMPLATES, unknownPlaceholders, type TemplateKey } from "@/lib/mail/templates/catalog";
import { DESK_WIDE_KEYS } from "@/lib/mail/templates/keys";
import { renderTemplate, templateText } from "@/lib/mail/templates/render";

export type TemplateRef = { brandId: string; key: TemplateKey; language: Locale };

function assertBrand(brandIds: string[], brandId: string) {
  if (!brandIds.includes(brandId)) throw forbidden("You cannot edit the emails of that brand.");
}

export function templateCatalog() {
  return TEMPLATE_KEYS.map((key) => ({ key, layout: TEMPLATES[key].layout, placeholders: [...TEMPLATES[key].placeholders], deskWide: DESK_WIDE_KEYS.includes(key) }));
}

/** The row a template is stored in: the brand's, or the desk-wide one for account emails. */
const ownerOf = (ref: TemplateRef) => (DESK_WIDE_KEYS.includes(ref.key) ? null : ref.brandId);

export async function getTemplate(db: Db, brandIds: string[], ref: TemplateRef) {
  assertBrand(brandIds, ref.brandId);
  const current = await templateText(db, ref.key, ref.language, ownerOf(ref));
  return { ...current, defaults: TEMPLATES[ref.key].defaults(ref.language) };
}

function validate(key: TemplateKey, subject: string, body: string) {
  if (!subject.trim()) throw badRequest("Enter a subject.", "subject");
  if (!body.trim()) throw badRequest("Write the email's text.", "body");
  const unknown = unknownPlaceholders(key, subject, body);
  if (unknown.length) {
    throw badRequest(`Unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `{{${u}}}`).join(", ")}. Available: ${TEMPLATES[key].placeholders.map((p) => `{{${p}}}`).join(", ")}.`, "body");
  }
}

export async function saveTemplate(db: Db, brandIds: string[], ref: TemplateRef & { subject: string; body: string }) {
  assertBrand(brandIds, ref.brandId);
  validate(ref.key, ref.subject, ref.body);
  const brandId = ownerOf(ref);
  await db.$transaction(async (tx) => {
    // Not an upsert: the unique index cannot name a NULL brand (desk-wide rows).
    const existing = await tx.template.findFirst({ where: { brandId, key: ref.key, language: ref.language }, select: { id: true } });
    if (existing) await tx.template.update({ where: { id: existing.id }, data: { subject: ref.subject.trim(), body: ref.body } });
    else await tx.template.create({ data: { brandId, key: ref.key, language: ref.language, subject: ref.subject.trim(), body: ref.body } });
  });
  return getTemplate(db, brandIds, ref);
}

/** Back to the default text: the brand's own version is removed. */
export async function resetTemplate(db: Db, brandIds: string[], ref: TemplateRef) {
  assertBrand(brandIds, ref.brandId);
  await db.template.deleteMany({ where: { brandId: ownerOf(ref), key: ref.key, language: ref.language } });
  return getTemplate(db, brandIds, ref);
}

/** Renders unsaved text with sample values, exactly as the outgoing email would look. */
export async function previewTemplate(db: Db, brandIds: string[], user: { name: string }, ref: TemplateRef & { subject: string; body: string }) {
  assertBrand(brandIds, ref.brandId);
  validate(ref.key, ref.subject, ref.body);
  const brand = await db.brand.findUniqueOrThrow({ where: { id: ref.brandId }, select: { name: true } });
  const t = translator(ref.language, "mailAdmin");
  const sample = t("templates.sample.message");
  return renderTemplate(db, {
    key: ref.key,
    language: ref.language,
    brandId: ownerOf(ref),
    draft: { subject: ref.subject, body: ref.body },
    vars: {
      "ticket.number": 1042, "ticket.subject": t("templates.sample.subject"), "customer.name": "Pat Customer", "customer.email": "pat@example.com",
      "brand.name": brand.name, "agent.name": user.name, "agent.signature": "", "actor.name": user.name, "group.name": "Billing", "user.name": "Pat Agent",
      "inviter.name": user.name, "forward.note": t("templates.sample.note"), "message.excerpt": sample, "chat.transcript": "Pat: Hi!\nAgent: Hello, how can I help?",
    },
    message: { html: `<p>${sample}</p>`, text: sample },
    action: { label: t("templates.sample.button"), url: "https://example.com/…" },
  });
}

export async function brandAppearance(db: Db, brandIds: string[], brandId: string) {
  assertBrand(brandIds, brandId);
  return getAppearance(db, brandId);
}

export async function saveAppearance(db: Db, brandIds: string[], brandId: string, input: Partial<Appearance>) {
  assertBrand(brandIds, brandId);
  return db.$transaction((tx) => setAppearance(tx, brandId, input));
}
