import "server-only";
import type { Db } from "@/lib/db";
import { badRequest, notFound } from "@/lib/errors";
import type { FormFieldKind } from "@/lib/generated/prisma/client";

export type FieldInput = { key: string; label: string; kind: FormFieldKind; options: string[]; required: boolean };
export type FaqInput = { brandId: string; language: string; category: string | null; title: string; body: string; position: number; published: boolean };

async function brandExists(db: Db, brandId: string) {
  const b = await db.brand.findUnique({ where: { id: brandId }, select: { id: true, slug: true } });
  if (!b) throw notFound("The brand");
  return b;
}

export async function formAdmin(db: Db, input: { brandId: string }) {
  const brand = await brandExists(db, input.brandId);
  const [fields, faq] = await Promise.all([
    db.formField.findMany({ where: { brandId: input.brandId }, orderBy: { position: "asc" }, select: { key: true, label: true, kind: true, options: true, required: true } }),
    db.faqArticle.findMany({ where: { brandId: input.brandId }, orderBy: [{ language: "asc" }, { position: "asc" }, { title: "asc" }], select: { id: true, language: true, category: true, title: true, body: true, position: true, published: true } }),
  ]);
  return { slug: brand.slug, fields, faq };
}

/**
 * Replaces the brand's custom fields in the given order, in one transaction. Values already
 * stored on tickets stay (Ticket.fields keeps them under the same key).
 */
export async function saveFormFields(db: Db, input: { brandId: string; fields: FieldInput[] }) {
  await brandExists(db, input.brandId);
  const keys = new Set<string>();
  input.fields.forEach((f, i) => {
    if (keys.has(f.key)) throw badRequest(`Two fields use the key "${f.key}".`, `fields.${i}.key`);
    keys.add(f.key);
    if (f.kind === "SELECT" && f.options.length === 0) throw badRequest(`"${f.label}" needs at least one option.`, `fields.${i}.options`);
  });
  await db.$transaction(async (tx) => {
    await tx.formField.deleteMany({ where: { brandId: input.brandId } });
    if (input.fields.length) {
      await tx.formField.createMany({ data: input.fields.map((f, position) => ({ ...f, options: f.kind === "SELECT" ? f.options : [], brandId: input.brandId, position })) });
    }
  });
}

export async function saveFaqArticle(db: Db, input: FaqInput & { id?: string }) {
  await brandExists(db, input.brandId);
  const { id, ...data } = input;
  if (!id) return db.faqArticle.create({ data, select: { id: true } });
  const found = await db.faqArticle.findFirst({ where: { id, brandId: input.brandId }, select: { id: true } });
  if (!found) throw notFound("The article");
  return db.faqArticle.update({ where: { id }, data, select: { id: true } });
}

export async function deleteFaqArticle(db: Db, input: { id: string }) {
  const found = await db.faqArticle.findUnique({ where: { id: input.id }, select: { id: true } });
  if (!found) throw notFound("The article");
  await db.faqArticle.delete({ where: { id: input.id } });
}
