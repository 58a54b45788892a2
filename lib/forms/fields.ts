import "server-only";
import type { Db } from "@/lib/db";

export async function formConfig(db: Db, slug: string) {
  const brand = await db.brand.findUnique({
    where: { slug },
    select: {
      id: true, slug: true, name: true, color: true, logoUrl: true, defaultLanguage: true,
      formFields: { orderBy: { position: "asc" }, select: { key: true, label: true, kind: true, options: true, required: true } },
      ticketTypes: { where: { active: true }, select: { id: true, name: true } },
      topics: { where: { active: true }, select: { id: true, name: true } },
    },
  });
  if (!brand) return null;
  const [types, topics] = await Promise.all([
    db.ticketType.findMany({ where: { brandId: null, active: true }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    db.topic.findMany({ where: { brandId: null, active: true }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
  ]);
  return { ...brand, types: [...types, ...brand.ticketTypes], topics: [...topics, ...brand.topics] };
}
export type FormConfig = NonNullable<Awaited<ReturnType<typeof formConfig>>>;
