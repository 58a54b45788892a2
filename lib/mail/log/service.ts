import "server-only";
import type { Db } from "@/lib/db";
import type { EmailDirection, EmailStatus } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";

export type EmailLogFilter = { direction: EmailDirection; q?: string; status?: EmailStatus; cursor?: number | null; limit: number };

/** Message center list (E10): newest first, keyset on id, searchable by address or subject. */
export async function listEmailLog(db: Db, f: EmailLogFilter) {
  const rows = await db.emailLog.findMany({
    where: {
      direction: f.direction,
      status: f.status,
      id: f.cursor ? { lt: f.cursor } : undefined,
      ...(f.q
        ? {
            OR: [
              { subject: { contains: f.q, mode: "insensitive" } },
              { fromAddress: { contains: f.q, mode: "insensitive" } },
              { to: { has: f.q.toLowerCase() } },
              { cc: { has: f.q.toLowerCase() } },
              { mailbox: { is: { OR: [{ name: { contains: f.q, mode: "insensitive" } }, { address: { contains: f.q, mode: "insensitive" } }] } } },
            ],
          }
        : {}),
    },
    orderBy: { id: "desc" },
    take: f.limit + 1,
    select: {
      id: true,
      direction: true,
      purpose: true,
      status: true,
      action: true,
      fromAddress: true,
      to: true,
      cc: true,
      subject: true,
      ticketId: true,
      ticket: { select: { number: true } },
      mailbox: { select: { name: true, color: true } },
      error: true,
      attempts: true,
      createdAt: true,
      updatedAt: true,
    },
  });
  const more = rows.length > f.limit;
  const items = more ? rows.slice(0, f.limit) : rows;
  return { items, nextCursor: more ? items.at(-1)!.id : null };
}

export async function getEmailLog(db: Db, id: number) {
  const row = await db.emailLog.findUnique({
    where: { id },
    select: {
      id: true, direction: true, purpose: true, status: true, action: true, fromAddress: true, to: true, cc: true,
      subject: true, html: true, text: true, error: true, attempts: true, events: true, emailMessageId: true,
      ticketId: true, createdAt: true, updatedAt: true, replyTo: true, headers: true,
      ticket: { select: { number: true } }, mailbox: { select: { name: true, address: true } },
    },
  });
  if (!row) throw notFound("The email");
  return row;
}
