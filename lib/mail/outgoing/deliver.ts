import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { platformTransport, type MailTransport } from "@/lib/mail/outgoing/transport";
import { mailboxTransport } from "@/lib/mail/mailboxes/transport";
import { getStorage } from "@/lib/storage";
import { blockedRecipients } from "@/lib/mail/blocklist/service";

/** The files of the ticket message this email carries (a reply's uploads, a forward's thread attachments). */
async function messageAttachments(db: Db, messageId: number | null) {
  if (!messageId) return undefined;
  const atts = await db.attachment.findMany({ where: { messageId }, orderBy: { createdAt: "asc" }, select: { name: true, contentType: true, storageKey: true, contentId: true } });
  if (!atts.length) return undefined;
  return Promise.all(atts.map(async (a) => ({ filename: a.name, contentType: a.contentType, content: await getStorage().get(a.storageKey), cid: a.contentId ?? undefined })));
}

export type DeliverPayload = { emailLogId: number };

type LogEvent = { at: string; status: string; detail?: string };

function appendEvent(events: Prisma.JsonValue, e: LogEvent): Prisma.InputJsonValue {
  return [...(Array.isArray(events) ? (events as Prisma.InputJsonValue[]) : []), e];
}

/**
 * Delivers one logged email. Every attempt is recorded on the log entry; a failure
 * rethrows so the job queue retries with backoff, and the last attempt marks it FAILED.
 */
export async function deliverEmail(
  db: Db,
  payload: DeliverPayload,
  ctx: { attempt: number; maxAttempts: number; transport?: MailTransport },
): Promise<void> {
  const log = await db.emailLog.findUnique({ where: { id: payload.emailLogId } });
  if (!log || log.direction !== "OUT") return;
  if (log.status === "SENT" || log.status === "CAPTURED" || log.status === "DELIVERED") return;

  const messageId = log.emailMessageId ?? `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}`;
  // E9 again at send time: an address put on the filter while the email waited is not mailed either.
  const blocked = await blockedRecipients(db, [...log.to, ...log.cc]);
  const to = log.to.filter((a) => !blocked.has(a.toLowerCase()));
  const cc = log.cc.filter((a) => !blocked.has(a.toLowerCase()));
  if (!to.length && !cc.length) {
    const detail = `Not sent to ${[...blocked].join(", ")}: on the outgoing-email filter`;
    await db.emailLog.update({ where: { id: log.id }, data: { status: "FAILED", error: detail, events: appendEvent(log.events, { at: new Date().toISOString(), status: "FAILED", detail }) } });
    if (log.messageId) await db.message.update({ where: { id: log.messageId }, data: { deliveryStatus: "FAILED", deliveryError: detail } });
    return;
  }
  try {
    // A ticket's mail goes out through its mailbox's own SMTP server when it has one (E6).
    const transport = ctx.transport ?? (log.mailboxId ? await mailboxTransport(db, log.mailboxId) : null) ?? platformTransport();
    const result = await transport.send({
      from: log.fromAddress,
      to,
      cc,
      subject: log.subject,
      html: log.html ?? "",
      text: log.text ?? "",
      replyTo: log.replyTo ?? undefined,
      headers: (log.headers ?? {}) as Record<string, string>,
      messageId,
      attachments: await messageAttachments(db, log.messageId),
    });
    await db.emailLog.update({
      where: { id: log.id },
      data: {
        status: result.status,
        emailMessageId: messageId,
        attempts: { increment: 1 },
        error: null,
        events: appendEvent(log.events, { at: new Date().toISOString(), status: result.status, detail: result.detail }),
      },
    });
    if (log.messageId) {
      await db.message.update({ where: { id: log.messageId }, data: { deliveryStatus: "SENT", deliveryError: null } });
    }
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const final = ctx.attempt >= ctx.maxAttempts;
    await db.emailLog.update({
      where: { id: log.id },
      data: {
        status: final ? "FAILED" : "QUEUED",
        emailMessageId: messageId,
        attempts: { increment: 1 },
        error: detail,
        events: appendEvent(log.events, {
          at: new Date().toISOString(),
          status: final ? "FAILED" : "RETRY",
          detail: `Attempt ${ctx.attempt}/${ctx.maxAttempts}: ${detail}`,
        }),
      },
    });
    if (final && log.messageId) {
      await db.message.update({ where: { id: log.messageId }, data: { deliveryStatus: "FAILED", deliveryError: detail } });
    }
    if (!final) throw err;
  }
}
