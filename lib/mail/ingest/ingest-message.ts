import "server-only";
import { createHash } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import type { EmailAction } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { isLocale } from "@/lib/i18n/config";
import { blockedAddressSql, isAutomatedMail, isBlockedAddress } from "@/lib/mail/loop-guard";
import { parseEmail, rewriteCidUrls, type ParsedEmail } from "@/lib/mail/parse";
import { brandChannel } from "@/lib/realtime/channels";
import type { Publication } from "@/lib/realtime/publish";
import { getStorage } from "@/lib/storage";
import { CUSTOMER, SYSTEM } from "@/lib/tickets/actor";
import { createTicket } from "@/lib/tickets/create";
import { receiveCustomerMessage } from "@/lib/tickets/customer-message";
import { addEvents } from "@/lib/tickets/events";
import { appendMessage } from "@/lib/tickets/messages";
import { findThreadTicket } from "@/lib/mail/ingest/threading";
import { routeChatReply } from "@/lib/chat/email-reply";

export type IngestMailbox = { id: string; brandId: string };
export type IngestPosition = { uid: bigint; uidValidity: bigint };
export type IngestContext = { ourAddresses: string[]; agentAddresses: string[]; maxAttachmentBytes?: number };

export type IngestOutcome = {
  action: EmailAction | "DUPLICATE";
  logId: number | null;
  ticketId?: number;
  number?: number;
  reason?: string;
  publications: Publication[];
};

class Duplicate extends Error {}

export type ParseResult = { ok: true; parsed: ParsedEmail } | { ok: false; reason: string };

/** Parsing needs no database: the session runs it for the next message while the current one commits. */
export async function parseRawMessage(raw: Buffer, ctx: IngestContext): Promise<ParseResult> {
  try {
    return { ok: true, parsed: await parseEmail(raw, { ourAddresses: ctx.ourAddresses, agentAddresses: ctx.agentAddresses, maxAttachmentBytes: ctx.maxAttachmentBytes }) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
// P2002 from a model query; P2010 with PostgreSQL's 23505 from a raw one.
const isUniqueViolation = (e: unknown) =>
  e instanceof Prisma.PrismaClientKnownRequestError && (e.code === "P2002" || (e.code === "P2010" && (String((e.meta as { code?: unknown } | undefined)?.code) === "23505" || e.message.includes("23505"))));

/** Moves the mailbox's position past this message in the same transaction that stored it. */
async function advance(tx: Tx, mailboxId: string, pos: IngestPosition | undefined, counter: "ingestedCount" | "failedCount") {
  if (!pos) return;
  if (counter === "ingestedCount") {
    await tx.$executeRaw`UPDATE "Mailbox" SET "lastUid" = GREATEST("lastUid", ${pos.uid}), "ingestedCount" = "ingestedCount" + 1 WHERE id = ${mailboxId} AND "uidValidity" = ${pos.uidValidity}`;
  } else {
    await tx.$executeRaw`UPDATE "Mailbox" SET "lastUid" = GREATEST("lastUid", ${pos.uid}), "failedCount" = "failedCount" + 1 WHERE id = ${mailboxId} AND "uidValidity" = ${pos.uidValidity}`;
  }
}

/** Skips a message without storing it (e.g. the server returned nothing for a UID). */
export async function skipPosition(db: Db, mailboxId: string, pos: IngestPosition) {
  await db.$transaction((tx) => advance(tx, mailboxId, pos, "failedCount"));
}

/**
 * One incoming message, exactly once: the raw source is kept; parsing, threading, the
 * ticket change, the message-center row and the mailbox position are one transaction;
 * a message already seen (same Message-ID, or same bytes when it has none) is skipped.
 * A message that cannot be parsed is logged as failed with the reason — never thrown —
 * so one bad email never blocks a mailbox.
 */
export async function ingestRawMessage(db: Db, mailbox: IngestMailbox, raw: Buffer, ctx: IngestContext, pos?: IngestPosition, preParsed?: Promise<ParseResult>): Promise<IngestOutcome> {
  const result = await (preParsed ?? parseRawMessage(raw, ctx));
  if (!result.ok) return logUnreadable(db, mailbox, raw, result.reason, pos);
  const parsed = result.parsed;

  const storage = getStorage();
  const stored: string[] = [];
  try {
    const rawFile = await storage.put(raw, "message.eml");
    stored.push(rawFile.key);
    const files: StoredFile[] = [];
    for (const a of parsed.attachments) {
      const s = await storage.put(a.content, a.filename);
      stored.push(s.key);
      files.push({ a, key: s.key });
    }
    const outcome = await db.$transaction(
      async (tx) => {
        // The message-center row (its unique dedupe key makes a message already seen fail
        // here, first) and whether the sender is filtered, in one statement.
        const now = new Date();
        const sender = !parsed.isBounce && !parsed.fromOwnAddress ? parsed.requester?.address : undefined;
        const [log] = await tx.$queryRaw<{ id: number; blocked: boolean | null }[]>`
          WITH l AS (
            INSERT INTO "EmailLog" (direction, status, "mailboxId", "dedupeKey", "imapUid", "emailMessageId", "fromAddress", "to", cc, subject, text, html, headers, "rawKey", events, "createdAt", "updatedAt")
            VALUES ('IN', 'RECEIVED', ${mailbox.id}, ${parsed.dedupeKey}::text, ${pos?.uid ?? null}::bigint, ${parsed.messageId}::text, ${parsed.from?.address ?? parsed.requester?.address ?? ""},
                    ${parsed.to.map((x) => x.address)}::text[], ${parsed.cc.map((x) => x.address)}::text[], ${parsed.subject}, ${parsed.text.slice(0, 200_000)}, ${parsed.html?.slice(0, 500_000) ?? null}::text,
                    ${JSON.stringify(parsed.headers)}::jsonb, ${rawFile.key}, ${JSON.stringify([{ at: now.toISOString(), status: "RECEIVED" }])}::jsonb, ${now}::timestamp(3), ${now}::timestamp(3))
            RETURNING id)
          SELECT l.id, ${sender ? blockedAddressSql(sender) : Prisma.sql`NULL::boolean`} AS blocked FROM l`.catch((e: unknown) => {
          throw isUniqueViolation(e) ? new Duplicate() : e;
        });
        const result = await decide(tx, mailbox, parsed, files, log!.blocked);
        // One statement: the log's outcome, the mailbox position (in the same transaction
        // as the message) and — since the ticket change and the position commit together,
        // so if the database crashed before flushing this commit both are lost and the
        // message is simply fetched again — no wait for the WAL flush (several times faster).
        const advanced = pos
          ? Prisma.sql`, m AS (UPDATE "Mailbox" SET "lastUid" = GREATEST("lastUid", ${pos.uid}), "ingestedCount" = "ingestedCount" + 1 WHERE id = ${mailbox.id} AND "uidValidity" = ${pos.uidValidity})`
          : Prisma.empty;
        await tx.$executeRaw`
          WITH l AS (UPDATE "EmailLog" SET action = ${result.action}::"EmailAction", "ticketId" = ${result.ticketId ?? null}::int, error = ${result.reason ?? null}::text, "updatedAt" = ${new Date()}::timestamp(3) WHERE id = ${log!.id})
          ${advanced}
          SELECT set_config('synchronous_commit', 'off', true)`;
        return { ...result, logId: log!.id };
      },
      { timeout: 60_000 },
    );
    // Mail that opened or joined no ticket keeps only its raw source (for the message center).
    if (!outcome.keptFiles) await Promise.all(stored.slice(1).map((k) => storage.delete(k).catch(() => {})));
    return { action: outcome.action, logId: outcome.logId, ticketId: outcome.ticketId, number: outcome.number, reason: outcome.reason, publications: outcome.publications };
  } catch (e) {
    await Promise.all(stored.map((k) => storage.delete(k).catch(() => {})));
    if (e instanceof Duplicate) {
      if (pos) await db.$transaction((tx) => advance(tx, mailbox.id, pos, "ingestedCount"));
      return { action: "DUPLICATE", logId: null, publications: [] };
    }
    throw e;
  }
}

type StoredFile = { a: ParsedEmail["attachments"][number]; key: string };
type Decision = { action: EmailAction; ticketId?: number; number?: number; reason?: string; publications: Publication[]; keptFiles?: boolean };

/** `blocked`: isBlockedAddress for the requester, already asked (null when not). */
async function decide(tx: Tx, mailbox: IngestMailbox, parsed: ParsedEmail, files: StoredFile[], blocked: boolean | null = null): Promise<Decision> {
  if (parsed.isBounce) return recordBounce(tx, parsed);
  const requester = parsed.requester;
  if (parsed.fromOwnAddress) return { action: "IGNORED_LOOP", reason: "Sent from one of our own mailboxes", publications: [] };
  if (!requester) return { action: "FAILED_PARSE", reason: "No sender address (From, Reply-To and Sender are missing or unreadable)", publications: [] };
  if (blocked ?? (await isBlockedAddress(tx, mailbox.brandId, requester.address))) {
    return { action: "REJECTED_SPAM", reason: `${requester.address} is in the outgoing-email filter or is one of our mailboxes`, publications: [] };
  }

  const attachments: { id: string; contentId: string | null }[] = [];
  for (const { a, key } of files) {
    attachments.push(await tx.attachment.create({ data: { name: a.filename.slice(0, 255), contentType: a.contentType, size: a.size, sha256: a.sha256, storageKey: key, contentId: a.contentId, inline: a.inline }, select: { id: true, contentId: true } }));
  }
  const cids = Object.fromEntries(attachments.filter((x) => x.contentId).map((x) => [x.contentId!, `/api/files/${x.id}`]));
  const message = {
    html: parsed.html ? rewriteCidUrls(parsed.html, cids) : null,
    text: parsed.text,
    subject: parsed.subject,
    fromAddress: requester.address,
    fromName: requester.name,
    to: parsed.to.map((x) => x.address),
    cc: parsed.cc.map((x) => x.address),
    emailMessageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references.slice(-50),
    attachmentIds: attachments.map((x) => x.id),
    automated: isAutomatedMail(parsed),
  };

  const chatReply = await routeChatReply(tx, mailbox.brandId, parsed, requester.address, attachments.map((x) => x.id));
  if (chatReply?.kind === "chat") return { action: "CHAT_REPLY", publications: chatReply.publications };
  const existing = chatReply?.ticketId ?? (await findThreadTicket(tx, mailbox.brandId, parsed, requester.address));
  let ticketId: number;
  let number: number;
  let created: boolean;
  let messageId: number;
  if (existing) {
    const r = await receiveCustomerMessage(tx, existing, message);
    ({ ticketId, number, created, messageId } = r);
  } else {
    const language = parsed.languageHint?.slice(0, 2);
    const t = await createTicket(tx, {
      brandId: mailbox.brandId,
      channel: "EMAIL",
      subject: parsed.subject || "(no subject)",
      customer: { email: requester.address, name: requester.name, language: language && isLocale(language) ? language : null },
      message: { ...message, kind: "CUSTOMER" },
      actor: CUSTOMER,
      mailboxId: mailbox.id,
      language: language && isLocale(language) ? language : null,
    });
    ({ id: ticketId, number, messageId } = t);
    created = true;
  }
  if (parsed.droppedAttachments.length) {
    const list = parsed.droppedAttachments.map((d) => `“${d.filename}” (${(d.size / 1024 / 1024).toFixed(1)} MB)`).join(", ");
    const text = `Not kept, over the attachment size limit: ${list}. Ask the customer to send it another way.`;
    await appendMessage(tx, ticketId, { kind: "SYSTEM", html: null, text });
  }
  const event = { id: ticketId, number, brandId: mailbox.brandId, fields: created ? [] : ["messages"] };
  return {
    action: created ? "CREATED" : "APPENDED",
    ticketId,
    number,
    keptFiles: true,
    publications: [
      { channel: brandChannel(mailbox.brandId), event: created ? "ticket.created" : "ticket.updated", data: event },
      { channel: brandChannel(mailbox.brandId), event: "message.created", data: { ticketId, number, messageId, kind: "CUSTOMER" } },
    ],
  };
}

/** A delivery failure report: marks the outgoing email (and its message) failed instead of opening a ticket. */
async function recordBounce(tx: Tx, parsed: ParsedEmail): Promise<Decision> {
  const ids = [parsed.bounce?.originalMessageId, parsed.inReplyTo, ...parsed.references].filter((x): x is string => !!x);
  const out = ids.length
    ? await tx.emailLog.findFirst({ where: { direction: "OUT", emailMessageId: { in: ids } }, orderBy: { id: "desc" }, select: { id: true, ticketId: true, messageId: true, events: true } })
    : null;
  const detail = [parsed.bounce?.status, parsed.bounce?.diagnostic, parsed.bounce?.recipient && `for ${parsed.bounce.recipient}`].filter(Boolean).join(" — ") || "Returned as undeliverable";
  if (!out) return { action: "BOUNCE", reason: `No outgoing email matches this bounce (${detail})`, publications: [] };
  const events = Array.isArray(out.events) ? out.events : [];
  await tx.emailLog.update({ where: { id: out.id }, data: { status: "FAILED", error: detail, events: [...events, { at: new Date().toISOString(), status: "BOUNCED", detail }] } });
  if (out.messageId) await tx.message.update({ where: { id: out.messageId }, data: { deliveryStatus: "FAILED", deliveryError: detail } });
  if (out.ticketId) await addEvents(tx, out.ticketId, SYSTEM, [{ type: "EMAIL_FAILED", to: detail.slice(0, 500) }]);
  return { action: "BOUNCE", ticketId: out.ticketId ?? undefined, reason: detail, publications: [] };
}

/** Keeps the raw bytes and says why, so an admin can look at it; the mailbox moves on. */
async function logUnreadable(db: Db, mailbox: IngestMailbox, raw: Buffer, reason: string, pos?: IngestPosition): Promise<IngestOutcome> {
  const storage = getStorage();
  const file = await storage.put(raw, "message.eml");
  try {
    const log = await db.$transaction(async (tx) => {
      const row = await tx.emailLog.create({
        data: { direction: "IN", status: "FAILED", action: "FAILED_PARSE", mailboxId: mailbox.id, dedupeKey: `sha256:${sha256(raw)}`, imapUid: pos?.uid ?? null, fromAddress: "", subject: "", error: reason.slice(0, 1000), rawKey: file.key },
        select: { id: true },
      });
      await advance(tx, mailbox.id, pos, "failedCount");
      return row;
    });
    return { action: "FAILED_PARSE", logId: log.id, reason, publications: [] };
  } catch (e) {
    await storage.delete(file.key).catch(() => {});
    if (!isUniqueViolation(e)) throw e;
    if (pos) await db.$transaction((tx) => advance(tx, mailbox.id, pos, "failedCount"));
    return { action: "DUPLICATE", logId: null, publications: [] };
  }
}
