import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma, type EmailPurpose } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { blockedOf, blockedRecipients, blockedRecipientsSql, type BlocklistHit } from "@/lib/mail/blocklist/service";

export type OutgoingEmail = {
  to: string[];
  cc?: string[];
  subject: string;
  html: string;
  text: string;
  purpose: EmailPurpose;
  from?: string;
  replyTo?: string;
  ticketId?: number;
  /** C8: a chat message relayed by email; replies find their way back to the chat. */
  chatId?: number;
  messageId?: number;
  mailboxId?: string;
  /** Extra headers (In-Reply-To, References, Auto-Submitted…). */
  headers?: Record<string, string>;
  emailMessageId?: string;
};

/**
 * Records the email in the message center and enqueues its delivery in the same
 * transaction as the change that caused it: the job exists exactly when the change
 * committed, and the worker delivers it with retries.
 */
export async function enqueueEmail(tx: Tx, email: OutgoingEmail): Promise<number> {
  return (await enqueueEmails(tx, [email]))[0]!;
}

/**
 * enqueueEmail for several emails, in order (ids ascending), in one statement: the
 * outgoing-email filter is checked by the statement that records them and their jobs.
 * When it holds back a recipient, nothing is written by it, and each email is then
 * recorded as enqueueEmail always did (sent to the others, or refused).
 */
export async function enqueueEmails(tx: Tx, emails: OutgoingEmail[]): Promise<number[]> {
  if (!emails.length) return [];
  const q = enqueueEmailsSql(emails);
  // An email to nobody is refused (as one whose recipients are all filtered).
  if (!q) return enqueueEach(tx, emails, await blockedRecipients(tx, emails.flatMap((e) => [...e.to, ...(e.cc ?? [])])));
  const [row] = await tx.$queryRaw<EnqueuedRow[]>`WITH ${Prisma.join(q.ctes, ",\n")} SELECT ${q.select}`;
  return q.finish(tx, row!);
}

/** An email of a caller's statement that also inserts its message: the message's position among the statement's messages. */
export type StatementEmail = OutgoingEmail & { messageIndex?: number };
export type EnqueuedRow = { mailHits: BlocklistHit[] | null; mailIds: number[] };

/**
 * enqueueEmails as part of a caller's statement (at least one email): `ctes` for its WITH
 * (named mail_*), `select` for its SELECT list ("mailHits", "mailIds"), and `finish` with the
 * row it returned. `messageIds`: the ids (int[], in order) of the messages the statement
 * inserts, which `messageIndex` refers to. Null when an email has no recipient at all.
 */
export function enqueueEmailsSql(emails: StatementEmail[], messageIds?: Prisma.Sql) {
  if (emails.some((e) => !e.to.length && !e.cc?.length)) return null;
  const recipients = emails.flatMap((e) => [...e.to, ...(e.cc ?? [])]);
  const at = new Date().toISOString();
  const rows = emails.map((e) => ({
    purpose: e.purpose, from: e.from ?? env.MAIL_FROM, to: e.to, cc: e.cc ?? [], subject: e.subject, html: e.html, text: e.text,
    ticketId: e.ticketId ?? null, chatId: e.chatId ?? null, messageId: e.messageId ?? null, messageIndex: e.messageIndex ?? null, mailboxId: e.mailboxId ?? null, emailMessageId: e.emailMessageId ?? null, replyTo: e.replyTo ?? null,
    headers: e.headers ?? {}, events: [{ at, status: "QUEUED" }],
  }));
  const messageId = messageIds ? Prisma.sql`coalesce((e->>'messageId')::int, (${messageIds})[(e->>'messageIndex')::int + 1])` : Prisma.sql`(e->>'messageId')::int`;
  // E9: addresses on the outgoing-email filter (and the desk's own mailboxes) are never mailed.
  // The message-center rows and their delivery jobs, unless the filter holds back a recipient.
  const ctes = [
    Prisma.sql`mail_h AS (${blockedRecipientsSql(recipients)})`,
    Prisma.sql`mail_x AS (SELECT e, n FROM json_array_elements(${JSON.stringify(rows, wellFormed)}::json) WITH ORDINALITY AS x(e, n) WHERE NOT EXISTS (SELECT 1 FROM mail_h))`,
    Prisma.sql`mail_l AS (
      INSERT INTO "EmailLog" (direction, purpose, status, error, "fromAddress", "to", cc, subject, html, text, "ticketId", "chatId", "messageId", "mailboxId", "emailMessageId", "replyTo", headers, events, "updatedAt")
      SELECT 'OUT', (e->>'purpose')::"EmailPurpose", 'QUEUED', NULL, e->>'from', ARRAY(SELECT json_array_elements_text(e->'to')), ARRAY(SELECT json_array_elements_text(e->'cc')), e->>'subject', e->>'html', e->>'text',
             (e->>'ticketId')::int, (e->>'chatId')::int, ${messageId}, e->>'mailboxId', e->>'emailMessageId', e->>'replyTo', (e->'headers')::jsonb, (e->'events')::jsonb, ${new Date()}::timestamp(3)
      FROM mail_x ORDER BY n
      RETURNING id)`,
    Prisma.sql`mail_j AS (
      SELECT job.id FROM (SELECT array_agg(('send_email', json_build_object('emailLogId', l.id), NULL, NULL, 8, NULL, NULL, NULL)::graphile_worker.job_spec ORDER BY l.id) AS specs FROM mail_l l) s
      CROSS JOIN LATERAL graphile_worker.add_jobs(s.specs) job WHERE s.specs IS NOT NULL)`,
  ];
  // The jobs' CTE is read, so that it runs.
  const select = Prisma.sql`(SELECT json_agg(mail_h) FROM mail_h) AS "mailHits", ARRAY(SELECT id FROM mail_l ORDER BY id) AS "mailIds", (SELECT count(*) FROM mail_j)::int AS "mailJobs"`;
  /** The emails' ids; when the filter held back a recipient, the emails are recorded one by one now (`messageIds`: the statement's messages). */
  const finish = async (tx: Tx, row: EnqueuedRow, messageIds: number[] = []) => {
    if (!row.mailHits) return row.mailIds;
    const resolved = emails.map(({ messageIndex, ...e }) => (e.messageId === undefined && messageIndex !== undefined ? { ...e, messageId: messageIds[messageIndex] } : e));
    return enqueueEach(tx, resolved, blockedOf(recipients, row.mailHits));
  };
  return { ctes, select, finish };
}

/** Lone surrogates (a subject cut in the middle of an emoji) become U+FFFD, as they do in a text parameter. */
const wellFormed = (_key: string, v: unknown) => (typeof v === "string" ? v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd") : v);

async function enqueueEach(tx: Tx, emails: OutgoingEmail[], blocked: Set<string>) {
  const ids: number[] = [];
  for (const email of emails) ids.push(await enqueueFiltered(tx, email, blocked));
  return ids;
}

/** An email of which the outgoing-email filter holds back some recipients (or all: then it is refused). */
async function enqueueFiltered(tx: Tx, email: OutgoingEmail, blocked: Set<string>): Promise<number> {
  const to = email.to.filter((a) => !blocked.has(a.toLowerCase()));
  const cc = (email.cc ?? []).filter((a) => !blocked.has(a.toLowerCase()));
  const own = new Set([...email.to, ...(email.cc ?? [])].map((a) => a.trim().toLowerCase()).filter((a) => blocked.has(a)));
  const refused = !to.length && !cc.length;
  const at = new Date().toISOString();
  const filterNote = own.size ? `Not sent to ${[...own].join(", ")}: on the outgoing-email filter` : null;
  if (!refused) {
    const events = [{ at, status: "QUEUED" }, ...(filterNote ? [{ at, status: "FILTERED", detail: filterNote }] : [])];
    const [row] = await tx.$queryRaw<{ id: number }[]>`
      WITH l AS (
        INSERT INTO "EmailLog" (direction, purpose, status, error, "fromAddress", "to", cc, subject, html, text, "ticketId", "chatId", "messageId", "mailboxId", "emailMessageId", "replyTo", headers, events, "updatedAt")
        VALUES ('OUT', ${email.purpose}::"EmailPurpose", 'QUEUED', NULL, ${email.from ?? env.MAIL_FROM}, ${to}::text[], ${cc}::text[], ${email.subject}, ${email.html}, ${email.text},
                ${email.ticketId ?? null}::int, ${email.chatId ?? null}::int, ${email.messageId ?? null}::int, ${email.mailboxId ?? null}::text, ${email.emailMessageId ?? null}::text, ${email.replyTo ?? null}::text,
                ${JSON.stringify(email.headers ?? {})}::jsonb, ${JSON.stringify(events)}::jsonb, ${new Date()}::timestamp(3))
        RETURNING id)
      SELECT l.id, (graphile_worker.add_job('send_email', json_build_object('emailLogId', l.id), max_attempts := 8)).id AS "jobId" FROM l`;
    return row!.id;
  }
  // Every recipient is filtered: recorded as failed, nothing to deliver.
  const log = await tx.emailLog.create({
    data: {
      direction: "OUT",
      purpose: email.purpose,
      status: "FAILED",
      error: filterNote,
      fromAddress: email.from ?? env.MAIL_FROM,
      to: email.to,
      cc: email.cc ?? [],
      subject: email.subject,
      html: email.html,
      text: email.text,
      ticketId: email.ticketId ?? null,
      chatId: email.chatId ?? null,
      messageId: email.messageId ?? null,
      mailboxId: email.mailboxId ?? null,
      emailMessageId: email.emailMessageId ?? null,
      replyTo: email.replyTo ?? null,
      headers: email.headers ?? {},
      events: [{ at, status: "FAILED", detail: filterNote }],
    },
    select: { id: true },
  });
  if (email.messageId) await tx.message.update({ where: { id: email.messageId }, data: { deliveryStatus: "FAILED", deliveryError: filterNote } });
  return log.id;
}
