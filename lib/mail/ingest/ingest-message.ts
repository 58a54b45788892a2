import "server-only";
import type { Db, Tx } from "@/lib/db";
import type { EmailAction } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { isLocale } from "@/lib/i18n/config";
import { isAutomatedMail, isBlockedAddress } from "@/lib/mail/loop-guard";
import { rewriteCidUrls, type ParsedEmail } from "@/lib/mail/parse";
import { discardPrepared, prepareMessage, type IngestContext, type ParseResult, type PreparedMessage } from "@/lib/mail/ingest/prepare";

export { discardPrepared, parseRawMessage, prepareMessage, type IngestContext, type ParseResult, type PreparedMessage } from "@/lib/mail/ingest/prepare";
import { brandChannel } from "@/lib/realtime/channels";
import type { Publication } from "@/lib/realtime/publish";
import { CUSTOMER, SYSTEM } from "@/lib/tickets/actor";
import { createTicket } from "@/lib/tickets/create";
import { receiveCustomerMessage } from "@/lib/tickets/customer-message";
import { addEvents } from "@/lib/tickets/events";
import { appendMessage } from "@/lib/tickets/messages";
import { findThreadTicket } from "@/lib/mail/ingest/threading";
import { routeChatReply } from "@/lib/chat/email-reply";

export type IngestMailbox = { id: string; brandId: string };
export type IngestPosition = { uid: bigint; uidValidity: bigint };

export type IngestOutcome = {
  action: EmailAction | "DUPLICATE";
  logId: number | null;
  ticketId?: number;
  number?: number;
  reason?: string;
  /** The message's IMAP UID, when it has one. */
  uid?: bigint;
  publications: Publication[];
};

/** A message that could not be stored (and was not skipped): the mailbox is retried from it later. */
export class StoreError extends Error {
  constructor(
    readonly uid: bigint | null,
    cause: unknown,
  ) {
    super(`${uid === null ? "The message" : `UID ${uid}`} could not be stored: ${cause instanceof Error ? cause.message.split("\n").filter(Boolean).pop() : String(cause)}`, { cause });
  }
}

/** PostgreSQL's SQLSTATE of a failed query, as the driver adapter reports it. */
function sqlState(e: unknown): string | null {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const meta = e.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.driverAdapterError?.cause?.code ?? meta?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/**
 * A failure that comes from this message's content (data exceptions, program limits such as an
 * over-long index entry): storing it again would fail again, so it is logged and skipped instead
 * of holding the mailbox. Anything else (connection, deadlock, disk) is retried.
 */
function isContentError(e: unknown) {
  if (e instanceof Prisma.PrismaClientValidationError) return true;
  const state = sqlState(e);
  return !!state && (state.startsWith("22") || state.startsWith("54"));
}

/**
 * One incoming message, exactly once: the raw source is kept; parsing, threading, the
 * ticket change, the message-center row and the mailbox position are one transaction;
 * a message already seen (same Message-ID, or same bytes when it has none) is skipped.
 * A message that cannot be parsed is logged as failed with the reason — never thrown —
 * so one bad email never blocks a mailbox.
 */
export async function ingestRawMessage(db: Db, mailbox: IngestMailbox, raw: Buffer, ctx: IngestContext, pos?: IngestPosition, preParsed?: Promise<ParseResult>): Promise<IngestOutcome> {
  const prepared = await prepareMessage(raw, ctx, pos?.uid ?? null, preParsed);
  const { outcomes } = await ingestPrepared(db, mailbox, [prepared], pos?.uidValidity);
  return outcomes[0]!;
}

/**
 * `positioned`: the mailbox position now covers the group. It is moved only from `after` (the
 * UID before the group), so a group stored while the one before it is still open — or after that
 * one failed — never moves it past messages that are not stored; the caller moves it once the
 * earlier group is stored (or leaves it, and the stored messages are skipped as duplicates when fetched again).
 */
export type StoredGroup = { outcomes: IngestOutcome[]; positioned: boolean };

/**
 * Prepared messages, in UID order, stored together: one transaction for the group (the
 * message-center rows and the sender-filter checks in one statement, then each message's
 * ticket change in order — a later message threads onto an earlier one of the same group —
 * then every row's outcome and the mailbox position in one statement). The position moves to
 * the group's last UID only when all of it commits. When the group fails, each message is
 * tried on its own, so one message's failure never takes the others with it; a message whose
 * content the database refuses is logged as failed and skipped; any other failure is thrown
 * (and the mailbox retried later) with the messages before it committed.
 * `uidValidity`: the mailbox's, when the messages carry IMAP positions; `after`: the UID the
 * position must have reached for this group to move it (see StoredGroup).
 */
export async function ingestPrepared(db: Db, mailbox: IngestMailbox, items: PreparedMessage[], uidValidity?: bigint, after?: bigint): Promise<StoredGroup> {
  if (!items.length) return { outcomes: [], positioned: true };
  try {
    return await ingestGroup(db, mailbox, items, uidValidity, after);
  } catch (e) {
    if (items.length > 1) {
      const outcomes: IngestOutcome[] = [];
      let positioned = true;
      for (let i = 0; i < items.length; i++) {
        try {
          const one = await ingestPrepared(db, mailbox, [items[i]!], uidValidity, i === 0 ? after : (items[i - 1]!.uid ?? undefined));
          outcomes.push(...one.outcomes);
          positioned = one.positioned;
        } catch (err) {
          // The rest are fetched and prepared again on the next attempt.
          await Promise.all(items.slice(i + 1).map(discardPrepared));
          throw err;
        }
      }
      return { outcomes, positioned };
    }
    const item = items[0]!;
    if (isContentError(e) && item.rawKey) {
      const reason = `Could not be stored: ${e instanceof Error ? e.message.split("\n").filter(Boolean).pop() : String(e)}`.slice(0, 1000);
      try {
        await discardPrepared({ ...item, rawKey: null });
        return await ingestGroup(db, mailbox, [{ ...item, result: { ok: false, reason }, files: [] }], uidValidity, after);
      } catch {
        // Even the failure record cannot be written: retry the whole message later.
      }
    }
    await discardPrepared(item);
    throw e instanceof StoreError ? e : new StoreError(item.uid, e);
  }
}

type Row = {
  item: PreparedMessage;
  /** The message-center row, or null: a duplicate or a UID without a message. */
  logId: number | null;
  outcome: IngestOutcome;
  keptFiles: boolean;
};

async function ingestGroup(db: Db, mailbox: IngestMailbox, items: PreparedMessage[], uidValidity?: bigint, after?: bigint): Promise<StoredGroup> {
  const withRaw = items.filter((m) => m.rawKey);
  const stored = await db.$transaction(
    async (tx) => {
      const now = new Date();
      const received = JSON.stringify([{ at: now.toISOString(), status: "RECEIVED" }]);
      const cols = withRaw.map((m) => {
        const p = m.result?.ok ? m.result.parsed : null;
        const sender = p && !p.isBounce && !p.fromOwnAddress ? p.requester?.address.trim().toLowerCase() : undefined;
        return {
          status: p ? "RECEIVED" : "FAILED",
          action: p ? null : "FAILED_PARSE",
          key: p ? p.dedupeKey : `sha256:${m.rawSha256}`,
          uid: m.uid === null ? null : String(m.uid),
          mid: p?.messageId ?? null,
          from: p ? (p.from?.address ?? p.requester?.address ?? "") : "",
          to: JSON.stringify(p?.to.map((x) => x.address) ?? []),
          cc: JSON.stringify(p?.cc.map((x) => x.address) ?? []),
          subject: p?.subject ?? "",
          text: p ? p.text.slice(0, 200_000) : null,
          html: p?.html?.slice(0, 500_000) ?? null,
          headers: JSON.stringify(p?.headers ?? {}),
          raw: m.rawKey!,
          events: p ? received : "[]",
          error: m.result && !m.result.ok ? m.result.reason.slice(0, 1000) : null,
          sender: sender ?? null,
          domain: sender ? sender.slice(sender.lastIndexOf("@")) : null,
        };
      });
      const col = <K extends keyof (typeof cols)[number]>(k: K) => cols.map((c) => c[k]);
      // Every message-center row (a message already seen — same dedupe key, here or in an
      // earlier group — gets none) and whether each sender is filtered (as isBlockedAddress), in one statement.
      const logged = cols.length
        ? await tx.$queryRaw<{ n: number; id: number | null; blocked: boolean | null }[]>`
          WITH x AS (
            SELECT * FROM unnest(${col("status")}::text[], ${col("action")}::text[], ${col("key")}::text[], ${col("uid")}::bigint[], ${col("mid")}::text[], ${col("from")}::text[],
                                 ${col("to")}::text[], ${col("cc")}::text[], ${col("subject")}::text[], ${col("text")}::text[], ${col("html")}::text[], ${col("headers")}::text[],
                                 ${col("raw")}::text[], ${col("events")}::text[], ${col("error")}::text[], ${col("sender")}::text[], ${col("domain")}::text[])
                     WITH ORDINALITY AS x(status, action, key, uid, mid, "from", "to", cc, subject, text, html, headers, raw, events, error, sender, domain, n)),
          l AS (
            INSERT INTO "EmailLog" (direction, status, action, "mailboxId", "dedupeKey", "imapUid", "emailMessageId", "fromAddress", "to", cc, subject, text, html, headers, "rawKey", events, error, "createdAt", "updatedAt")
            SELECT 'IN', x.status::"EmailStatus", x.action::"EmailAction", ${mailbox.id}, x.key, x.uid, x.mid, x."from",
                   ARRAY(SELECT jsonb_array_elements_text(x."to"::jsonb)), ARRAY(SELECT jsonb_array_elements_text(x.cc::jsonb)), x.subject, x.text, x.html, x.headers::jsonb,
                   x.raw, x.events::jsonb, x.error, ${now}::timestamp(3), ${now}::timestamp(3)
            FROM x ORDER BY x.n
            ON CONFLICT DO NOTHING
            RETURNING id, "dedupeKey")
          SELECT x.n::int AS n, l.id,
                 CASE WHEN x.sender IS NULL THEN NULL ELSE
                   (EXISTS (SELECT 1 FROM "Blocklist" WHERE LOWER(pattern) IN (LOWER(x.sender), LOWER(x.domain)))
                    OR EXISTS (SELECT 1 FROM "Mailbox" WHERE address ILIKE x.sender OR "forwardingAddress" ILIKE x.sender)) END AS blocked
          FROM x LEFT JOIN l ON l."dedupeKey" = x.key ORDER BY x.n`
        : [];
      const seen = new Set<number>();
      const out: Row[] = [];
      const pending: { row: Row; parsed: ParsedEmail; blocked: boolean | null }[] = [];
      let k = 0;
      for (const item of items) {
        if (!item.rawKey) {
          out.push({ item, logId: null, keptFiles: false, outcome: { action: "DUPLICATE", logId: null, reason: "No longer on the server", publications: [] } });
          continue;
        }
        const r = logged[k++]!;
        // Two messages of this group with one key: the first has the row, the second is a duplicate.
        const logId = r.id !== null && !seen.has(r.id) ? r.id : null;
        if (logId !== null) seen.add(logId);
        const row: Row = { item, logId, keptFiles: false, outcome: { action: "DUPLICATE", logId: null, publications: [] } };
        out.push(row);
        if (logId === null) continue;
        if (!item.result?.ok) {
          row.outcome = { action: "FAILED_PARSE", logId, reason: item.result?.reason, publications: [] };
          continue;
        }
        pending.push({ row, parsed: item.result.parsed, blocked: r.blocked });
      }
      // Attachment rows of every message that may open or join a ticket, in one statement.
      const files = pending.filter((p) => mayKeepAttachments(p.parsed, p.blocked)).flatMap((p) => p.row.item.files);
      const created = files.length
        ? await tx.attachment.createManyAndReturn({
            data: files.map(({ a, key }) => ({ name: a.filename.slice(0, 255), contentType: a.contentType, size: a.size, sha256: a.sha256, storageKey: key, contentId: a.contentId, inline: a.inline })),
            select: { id: true, contentId: true, storageKey: true },
          })
        : [];
      const byKey = new Map(created.map((c) => [c.storageKey, { id: c.id, contentId: c.contentId }]));
      for (const { row, parsed, blocked } of pending) {
        const attachments = row.item.files.flatMap((f) => byKey.get(f.key) ?? []);
        const d = await decide(tx, mailbox, parsed, attachments, blocked);
        row.keptFiles = !!d.keptFiles;
        row.outcome = { action: d.action, logId: row.logId, ticketId: d.ticketId, number: d.number, reason: d.reason, publications: d.publications };
      }
      // One statement: every row's outcome, the mailbox position (in the same transaction as
      // the messages) and — since the ticket changes and the position commit together, so if
      // the database crashed before flushing this commit both are lost and the messages are
      // simply fetched again — no wait for the WAL flush (several times faster).
      const decided = out.filter((r) => r.logId !== null && r.item.result?.ok);
      const failed = out.filter((r) => !r.item.rawKey || (r.item.result && !r.item.result.ok)).length;
      const uids = items.flatMap((m) => (m.uid === null ? [] : [m.uid]));
      const last = uids.reduce((a, b) => (a > b ? a : b), -1n);
      const advanced =
        uidValidity !== undefined && uids.length
          ? Prisma.sql`, m AS (UPDATE "Mailbox" SET "lastUid" = CASE WHEN ${after ?? null}::bigint IS NULL OR "lastUid" >= ${after ?? null}::bigint THEN GREATEST("lastUid", ${last}) ELSE "lastUid" END,
                                 "ingestedCount" = "ingestedCount" + ${items.length - failed}::int, "failedCount" = "failedCount" + ${failed}::int
                               WHERE id = ${mailbox.id} AND "uidValidity" = ${uidValidity} RETURNING "lastUid" >= ${last} AS positioned)`
          : Prisma.empty;
      const [done] = await tx.$queryRaw<{ positioned: boolean | null }[]>`
        WITH l AS (UPDATE "EmailLog" e SET action = x.action::"EmailAction", "ticketId" = x.tid, error = x.error, "updatedAt" = ${new Date()}::timestamp(3)
                   FROM unnest(${decided.map((r) => r.logId!)}::int[], ${decided.map((r) => r.outcome.action)}::text[], ${decided.map((r) => r.outcome.ticketId ?? null)}::int[],
                               ${decided.map((r) => r.outcome.reason ?? null)}::text[]) AS x(id, action, tid, error)
                   WHERE e.id = x.id)
        ${advanced}
        SELECT set_config('synchronous_commit', 'off', true) AS sync, ${advanced === Prisma.empty ? Prisma.sql`true` : Prisma.sql`coalesce((SELECT positioned FROM m), false)`} AS positioned`;
      return { out, positioned: !!done?.positioned };
    },
    { timeout: 60_000 + 10_000 * items.length },
  );
  // A duplicate keeps nothing; mail that opened or joined no ticket keeps only its raw source (for the message center).
  await Promise.all(stored.out.map((r) => (r.logId === null ? discardPrepared(r.item) : r.keptFiles ? null : discardPrepared({ ...r.item, rawKey: null }))));
  return { outcomes: stored.out.map((r) => (r.item.uid === null ? r.outcome : { ...r.outcome, uid: r.item.uid })), positioned: stored.positioned };
}

/** What decide() checks before it stores attachments (a loop, a filtered sender, no sender, a bounce keep none). */
function mayKeepAttachments(parsed: ParsedEmail, blocked: boolean | null) {
  return !parsed.isBounce && !parsed.fromOwnAddress && !!parsed.requester && blocked !== true;
}

type Decision = { action: EmailAction; ticketId?: number; number?: number; reason?: string; publications: Publication[]; keptFiles?: boolean };

/**
 * `attachments`: the message's attachment rows, created when mayKeepAttachments;
 * `blocked`: isBlockedAddress for the requester, already asked (null when not).
 */
async function decide(tx: Tx, mailbox: IngestMailbox, parsed: ParsedEmail, attachments: { id: string; contentId: string | null }[], blocked: boolean | null = null): Promise<Decision> {
  if (parsed.isBounce) return recordBounce(tx, parsed);
  const requester = parsed.requester;
  if (parsed.fromOwnAddress) return { action: "IGNORED_LOOP", reason: "Sent from one of our own mailboxes", publications: [] };
  if (!requester) return { action: "FAILED_PARSE", reason: "No sender address (From, Reply-To and Sender are missing or unreadable)", publications: [] };
  if (blocked ?? (await isBlockedAddress(tx, mailbox.brandId, requester.address))) {
    return { action: "REJECTED_SPAM", reason: `${requester.address} is in the outgoing-email filter or is one of our mailboxes`, publications: [] };
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
