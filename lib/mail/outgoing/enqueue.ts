import "server-only";
import type { Tx } from "@/lib/db";
import type { EmailPurpose } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

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
  const log = await tx.emailLog.create({
    data: {
      direction: "OUT",
      purpose: email.purpose,
      status: "QUEUED",
      fromAddress: email.from ?? env.MAIL_FROM,
      to: email.to,
      cc: email.cc ?? [],
      subject: email.subject,
      html: email.html,
      text: email.text,
      ticketId: email.ticketId ?? null,
      messageId: email.messageId ?? null,
      mailboxId: email.mailboxId ?? null,
      emailMessageId: email.emailMessageId ?? null,
      replyTo: email.replyTo ?? null,
      headers: email.headers ?? {},
      events: [{ at: new Date().toISOString(), status: "QUEUED" }],
    },
    select: { id: true },
  });
  const payload = JSON.stringify({ emailLogId: log.id });
  await tx.$executeRaw`SELECT graphile_worker.add_job('send_email', ${payload}::json, max_attempts := 8)`;
  return log.id;
}
