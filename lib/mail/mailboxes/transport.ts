import "server-only";
import type { Db } from "@/lib/db";
import { decryptSecret } from "@/lib/crypto";
import { SmtpTransport, type MailTransport } from "@/lib/mail/outgoing/transport";

/**
 * E6: the transport a mailbox replies through — its own SMTP server when one is
 * set, otherwise null (the platform default from configuration).
 */
export async function mailboxTransport(db: Db, mailboxId: string): Promise<MailTransport | null> {
  const m = await db.mailbox.findUnique({
    where: { id: mailboxId },
    select: { outboundChannel: { select: { kind: true, smtpHost: true, smtpPort: true, smtpSecure: true, smtpUser: true, secretEnc: true } } },
  });
  const ch = m?.outboundChannel;
  if (!ch || ch.kind !== "SMTP" || !ch.smtpHost) return null;
  const pass = ch.secretEnc ? decryptSecret(ch.secretEnc) : undefined;
  return new SmtpTransport({
    host: ch.smtpHost,
    port: ch.smtpPort ?? 587,
    secure: ch.smtpSecure,
    ...(ch.smtpUser ? { auth: { user: ch.smtpUser, pass: pass ?? "" } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  } as never);
}
