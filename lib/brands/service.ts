import "server-only";
import type { Db } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

const select = { id: true, slug: true, name: true, color: true, logoUrl: true, defaultLanguage: true, timezone: true } as const;

export async function listBrands(db: Db, brandIds?: string[]) {
  return db.brand.findMany({ where: brandIds ? { id: { in: brandIds } } : undefined, orderBy: { name: "asc" }, select });
}

export type BrandInput = { slug: string; name: string; color: string; logoUrl?: string | null; defaultLanguage: string; timezone: string };

function uniqueSlug(e: unknown): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("Another brand already uses this address.", "slug");
  throw e;
}

export async function createBrand(db: Db, input: BrandInput) {
  return db.brand.create({ data: { ...input, logoUrl: input.logoUrl ?? null }, select }).catch(uniqueSlug);
}

export async function updateBrand(db: Db, input: BrandInput & { brandId: string }) {
  const { brandId, ...data } = input;
  const b = await db.brand.findUnique({ where: { id: brandId }, select: { id: true } });
  if (!b) throw notFound("The brand");
  return db.brand.update({ where: { id: brandId }, data, select }).catch(uniqueSlug);
}
