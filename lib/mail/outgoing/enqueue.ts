import "server-only";
import type { Tx } from "@/lib/db";
import type { EmailPurpose } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { blockedRecipients } from "@/lib/mail/blocklist/service";

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
  // E9: addresses on the outgoing-email filter (and the desk's own mailboxes) are never mailed.
  const blocked = await blockedRecipients(tx, [...email.to, ...(email.cc ?? [])]);
  const to = email.to.filter((a) => !blocked.has(a.toLowerCase()));
  const cc = (email.cc ?? []).filter((a) => !blocked.has(a.toLowerCase()));
  const refused = !to.length && !cc.length;
  const at = new Date().toISOString();
  const filterNote = blocked.size ? `Not sent to ${[...blocked].join(", ")}: on the outgoing-email filter` : null;
  if (!refused) {
    // The message-center row and its delivery job in one statement.
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
