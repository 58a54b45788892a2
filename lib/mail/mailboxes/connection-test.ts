import "server-only";
import type { Db } from "@/lib/db";
import { badRequest } from "@/lib/errors";
import { testImapConnection, type ImapTestResult } from "@/lib/mail/imap/test-connection";
import { testSmtpConnection, type SmtpTestResult } from "@/lib/mail/smtp/test-connection";
import { storedImapPassword, storedSmtpPassword } from "@/lib/mail/mailboxes/service";

/** The form's current values; a blank password means "the one already stored for this mailbox". */
export type ImapTestRequest = { mailboxId?: string; host: string; port: number; tls: boolean; user: string; password?: string | null; folder: string };
export type SmtpTestRequest = { mailboxId?: string; host: string; port: number; secure: boolean; user?: string | null; password?: string | null };

export async function testMailboxImap(db: Db, brandIds: string[], r: ImapTestRequest, timeoutMs?: number): Promise<ImapTestResult> {
  const password = r.password || (r.mailboxId ? await storedImapPassword(db, brandIds, r.mailboxId) : null);
  if (!password) throw badRequest("Enter the IMAP password to test the connection.", "imapPassword");
  return testImapConnection({ host: r.host, port: r.port, tls: r.tls, user: r.user, password, folder: r.folder, timeoutMs });
}

export async function testMailboxSmtp(db: Db, brandIds: string[], r: SmtpTestRequest, timeoutMs?: number): Promise<SmtpTestResult> {
  const password = r.password || (r.mailboxId ? await storedSmtpPassword(db, brandIds, r.mailboxId) : null);
  return testSmtpConnection({ host: r.host, port: r.port, secure: r.secure, user: r.user || undefined, password: password ?? undefined, timeoutMs });
}
