import "server-only";
import type { Db, Tx } from "@/lib/db";
import { conflict, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

/** "a@b.c" or "@b.c" (a whole domain), lower-cased. */
export function normalisePattern(p: string): string {
  return p.trim().toLowerCase();
}

/**
 * E9: the outgoing-email filter. Manual entries plus every mailbox's own addresses,
 * which are always included so the desk never mails itself into a loop.
 */
export async function listBlocklist(db: Db) {
  const [manual, mailboxes] = await Promise.all([
    db.blocklist.findMany({ orderBy: { pattern: "asc" }, select: { id: true, pattern: true, reason: true, createdAt: true } }),
    db.mailbox.findMany({ orderBy: { address: "asc" }, select: { id: true, name: true, address: true, forwardingAddress: true } }),
  ]);
  const automatic = mailboxes.flatMap((m) => [m.address, ...(m.forwardingAddress ? [m.forwardingAddress] : [])].map((pattern) => ({ pattern, mailbox: m.name })));
  return { manual, automatic };
}

export async function addBlock(db: Db, input: { pattern: string; reason?: string | null }) {
  try {
    return await db.blocklist.create({ data: { pattern: normalisePattern(input.pattern), reason: input.reason || null }, select: { id: true } });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("This address is already on the filter.", "pattern");
    throw e;
  }
}

export async function removeBlock(db: Db, id: string) {
  const r = await db.blocklist.deleteMany({ where: { id } });
  if (!r.count) throw notFound("The filter entry");
  return { ok: true };
}

export type BlocklistHit = { a: string; b: string | null; mailbox: boolean };

/** The filter entries and mailboxes that hold back any of these addresses, as a query (for blockedOf). */
export function blockedRecipientsSql(addresses: string[]): Prisma.Sql {
  const lower = [...new Set(addresses.map((a) => a.trim().toLowerCase()))];
  const domains = [...new Set(lower.map((a) => `@${a.split("@")[1] ?? ""}`))];
  return Prisma.sql`
    SELECT pattern AS a, NULL::text AS b, false AS mailbox FROM "Blocklist" WHERE pattern = ANY(${[...lower, ...domains]}::text[])
    UNION ALL
    SELECT address, "forwardingAddress", true FROM "Mailbox" WHERE address = ANY(${lower}::text[]) OR "forwardingAddress" = ANY(${lower}::text[])`;
}

/** The recipients (lower-cased) that blockedRecipientsSql's rows hold back. */
export function blockedOf(addresses: string[], rows: BlocklistHit[]): Set<string> {
  const lower = [...new Set(addresses.map((a) => a.trim().toLowerCase()))];
  const hit = new Set(rows.flatMap((r) => (r.mailbox ? [r.a, r.b ?? ""] : [r.a])));
  return new Set(lower.filter((a) => hit.has(a) || hit.has(`@${a.split("@")[1]}`)));
}

/** The recipients (of those given) the desk must never mail. */
export async function blockedRecipients(tx: Tx, addresses: string[]): Promise<Set<string>> {
  if (!addresses.length) return new Set();
  // One statement, never parallel queries: this runs inside transactions (one connection).
  const rows = await tx.$queryRaw<BlocklistHit[]>(blockedRecipientsSql(addresses));
  return blockedOf(addresses, rows);
}
