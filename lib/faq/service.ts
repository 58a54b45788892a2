import "server-only";
import type { Db } from "@/lib/db";

/** F4: published FAQ articles of a brand, in the visitor's language when there are any. */
export async function searchFaq(db: Db, brandId: string, language: string, q?: string) {
  const where = (lang: string) => ({
    brandId,
    language: lang,
    published: true,
    ...(q ? { OR: [{ title: { contains: q, mode: "insensitive" as const } }, { body: { contains: q, mode: "insensitive" as const } }] } : {}),
  });
  const inLanguage = await db.faqArticle.findMany({ where: where(language), orderBy: [{ position: "asc" }, { title: "asc" }], take: 20, select: { id: true, title: true, body: true, category: true } });
  if (inLanguage.length || language === "en") return inLanguage;
  return db.faqArticle.findMany({ where: where("en"), orderBy: [{ position: "asc" }, { title: "asc" }], take: 20, select: { id: true, title: true, body: true, category: true } });
}
