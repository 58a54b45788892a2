import "server-only";
import type { Db } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { normalizeTag } from "@/lib/tickets/tags";

// Admin-defined lists (T6, T10): ticket types, topics and tags, plus shared canned responses.
const unique = (what: string) => (e: unknown): never => {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict(`A ${what} with this name already exists.`, "name");
  throw e;
};

export type CatalogKind = "type" | "topic";

export async function listCatalog(db: Db) {
  const [types, topics, tags, canned] = await Promise.all([
    db.ticketType.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true, name: true, active: true, _count: { select: { tickets: true } } } }),
    db.topic.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true, name: true, active: true, _count: { select: { tickets: true } } } }),
    db.tag.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, _count: { select: { tickets: true } } } }),
    db.cannedResponse.findMany({ where: { ownerId: null }, orderBy: { shortcut: "asc" }, select: { id: true, shortcut: true, title: true, body: true, brandId: true } }),
  ]);
  return { types, topics, tags, canned };
}

export async function saveCatalogItem(db: Db, input: { kind: CatalogKind; id?: string; name: string; active: boolean }) {
  const data = { name: input.name.trim(), active: input.active };
  if (input.kind === "type") {
    return input.id
      ? db.ticketType.update({ where: { id: input.id }, data, select: { id: true } }).catch(unique("type"))
      : db.ticketType.create({ data, select: { id: true } }).catch(unique("type"));
  }
  return input.id
    ? db.topic.update({ where: { id: input.id }, data, select: { id: true } }).catch(unique("topic"))
    : db.topic.create({ data, select: { id: true } }).catch(unique("topic"));
}

export async function renameTag(db: Db, input: { id: string; name: string }) {
  const tag = await db.tag.findUnique({ where: { id: input.id }, select: { id: true } });
  if (!tag) throw notFound("The tag");
  return db.tag.update({ where: { id: input.id }, data: { name: normalizeTag(input.name) }, select: { id: true } }).catch(unique("tag"));
}

export async function deleteTag(db: Db, input: { id: string }) {
  await db.tag.delete({ where: { id: input.id } }).catch(() => {
    throw notFound("The tag");
  });
}

export async function saveCanned(db: Db, input: { id?: string; shortcut: string; title: string; body: string; brandId?: string | null }) {
  const data = { shortcut: input.shortcut.trim().toLowerCase(), title: input.title.trim(), body: input.body, brandId: input.brandId ?? null };
  return input.id ? db.cannedResponse.update({ where: { id: input.id }, data, select: { id: true } }) : db.cannedResponse.create({ data, select: { id: true } });
}

export async function deleteCanned(db: Db, input: { id: string }) {
  await db.cannedResponse.delete({ where: { id: input.id } }).catch(() => {
    throw notFound("The canned response");
  });
}
