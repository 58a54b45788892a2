import "server-only";
import type { Tx } from "@/lib/db";
import type { ParsedEmail } from "@/lib/mail/parse";

/**
 * The ticket an incoming email continues, in this brand:
 * 1. In-Reply-To / References against every Message-ID we have seen or sent (messages
 *    of tickets, and outgoing emails such as confirmations and notifications);
 * 2. else a "[#1234]" subject token — only when the sender belongs to that ticket
 *    (its customer, or someone who wrote or was copied on it), so a guessed number
 *    cannot inject mail into a stranger's ticket;
 * 3. else none: a new ticket.
 */
export async function findThreadTicket(tx: Tx, brandId: string, parsed: Pick<ParsedEmail, "inReplyTo" | "references" | "ticketToken">, sender: string): Promise<number | null> {
  const ids = [...new Set([parsed.inReplyTo, ...parsed.references.slice(-50)].filter((x): x is string => !!x))];
  if (ids.length) {
    const msg = await tx.message.findFirst({ where: { emailMessageId: { in: ids }, ticket: { brandId } }, orderBy: { id: "desc" }, select: { ticketId: true } });
    const out = msg ? null : await tx.emailLog.findFirst({ where: { emailMessageId: { in: ids }, ticketId: { not: null }, ticket: { brandId } }, orderBy: { id: "desc" }, select: { ticketId: true } });
    const hit = msg?.ticketId ?? out?.ticketId;
    if (hit) return hit;
  }
  if (parsed.ticketToken) {
    const t = await tx.ticket.findFirst({ where: { number: parsed.ticketToken, brandId }, select: { id: true, customer: { select: { email: true } } } });
    if (!t) return null;
    const address = sender.toLowerCase();
    if (t.customer?.email?.toLowerCase() === address) return t.id;
    const participant = await tx.message.count({ where: { ticketId: t.id, OR: [{ fromAddress: { equals: address, mode: "insensitive" } }, { to: { has: address } }, { cc: { has: address } }] } });
    if (participant) return t.id;
  }
  return null;
}
