import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

// One tsvector per ticket: subject, requester and every message's text. The 'simple'
// configuration lowercases through the database's Unicode-aware locale and applies no
// language-specific stemming, so Turkish ("Şikayet" → "şikayet") and other languages work alike.
export const MAX_TEXT = 200_000;

export async function appendSearchText(tx: Tx, ticketId: number, text: string) {
  if (!text.trim()) return;
  await tx.$executeRaw`UPDATE "Ticket" SET "searchVector" = coalesce("searchVector", ''::tsvector) || to_tsvector('simple', left(${text}, ${MAX_TEXT})) WHERE id = ${ticketId}`;
}

/** Recomputed from scratch (after merge/split, or a subject change). */
export async function rebuildSearchVector(tx: Tx, ticketId: number) {
  await rebuildWhere(tx, Prisma.sql`t.id = ${ticketId}`);
}

/** Every ticket of a customer, recomputed: their name and address are part of each vector. */
export async function rebuildCustomerSearchVectors(tx: Tx, customerId: string) {
  await rebuildWhere(tx, Prisma.sql`t."customerId" = ${customerId}`);
}

async function rebuildWhere(tx: Tx, where: Prisma.Sql) {
  await tx.$executeRaw`
    UPDATE "Ticket" t SET "searchVector" =
      to_tsvector('simple', t.subject || ' ' || coalesce(c.name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(regexp_replace(c.email, '[@.]', ' ', 'g'), ''))
      || coalesce((SELECT to_tsvector('simple', left(string_agg(m.text, ' ' ORDER BY m.id), ${MAX_TEXT})) FROM "Message" m WHERE m."ticketId" = t.id), ''::tsvector)
    FROM "Customer" c
    WHERE ${where} AND c.id = t."customerId"`;
}

/**
 * Turns what a person types into a prefix-matching tsquery, safely. Case is left to
 * to_tsquery('simple', …): its dictionary lowercases each word with the same lower() that
 * built the stored vector, so "İstanbul", "ISTANBUL" and "istanbul" fold exactly as the
 * index did. Lowercasing here would not agree: JavaScript turns "İ" into "i" + U+0307.
 * Combining marks stay inside a word, so decomposed input ("s" + U+0327) is not cut apart.
 */
export function toTsQuery(q: string): string | null {
  const words = q
    .normalize("NFC")
    .split(/[^\p{L}\p{M}\p{N}@._-]+/u)
    .map((w) => w.replace(/^[._@-]+|[._@-]+$/g, ""))
    .filter(Boolean)
    .slice(0, 8);
  if (!words.length) return null;
  return words.map((w) => `'${w.replace(/'/g, "''")}':*`).join(" & ");
}
