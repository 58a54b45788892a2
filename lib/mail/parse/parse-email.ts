/**
 * parseEmail(): one raw RFC 822 message in, the normalised structure the ingest worker stores out.
 * Pure: no database, no network, no clock except as the upper bound for plausible dates.
 */
import { createHash } from "node:crypto";
import { MailParser, type AttachmentStream, type HeaderLines, type Headers, type MessageText, type StructuredHeader } from "mailparser";
import { detectAutoSubmitted } from "./auto";
import { detectBounce } from "./bounce";
import { languageFromCharset } from "./charset";
import { EmailParseError } from "./errors";
import { detectManualForward } from "./forward";
import { addressesOf, extractMessageIds, headerReader, headerString, parseDateHeader } from "./headers";
import { normalizeRawMessage } from "./raw-normalize";
import { htmlToText, sanitizeEmailHtml } from "./sanitize";
import { findTicketToken } from "./token";
import type { DroppedAttachment, EmailAddress, ParsedAttachment, ParsedEmail, ParseEmailOptions } from "./types";

export const DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Subjects longer than this are cut (the ticket token is looked for in the whole subject first). */
export const SUBJECT_MAX_LENGTH = 998;

/** Headers copied into ParsedEmail.headers (raw, unfolded; repeated ones joined with ", "). */
export const STORED_HEADERS = [
  "message-id",
  "in-reply-to",
  "references",
  "date",
  "return-path",
  "delivered-to",
  "auto-submitted",
  "precedence",
  "list-id",
  "list-unsubscribe",
  "x-auto-response-suppress",
  "x-autoreply",
  "x-autorespond",
  "x-forwarded-for",
  "x-forwarded-to",
  "resent-from",
  "x-failed-recipients",
  "content-language",
  "x-mailer",
  "user-agent",
] as const;

const STORED_HEADER_MAX = 2000;

const AUTO_FORWARD_HEADERS = ["x-forwarded-for", "x-forwarded-to", "resent-from", "resent-sender", "resent-to", "resent-message-id"];

interface CollectedAttachment {
  contentType: string;
  filename: string | undefined;
  contentId: string | null;
  size: number;
  sha256: string;
  /** null when dropped for size. */
  content: Buffer | null;
}

interface Collected {
  headers: Headers;
  headerLines: HeaderLines;
  text: string;
  html: string | null;
  attachments: CollectedAttachment[];
}

function runMailParser(raw: Buffer, maxBytes: number): Promise<Collected> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const out: Collected = { headers: new Map(), headerLines: [], text: "", html: null, attachments: [] };
    const parser = new MailParser({
      keepDeliveryStatus: true,
      checksumAlgo: "sha256",
      skipHtmlToText: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
    parser.on("error", fail);
    parser.on("headers", (h: Headers) => (out.headers = h));
    parser.on("headerLines", (l: HeaderLines) => (out.headerLines = l));
    parser.on("data", (data: AttachmentStream | MessageText) => {
      if (data.type === "text") {
        out.text = data.text ?? "";
        out.html = data.html ?? null;
        return;
      }
      const chunks: Buffer[] = [];
      const hash = createHash("sha256");
      let size = 0;
      let over = false;
      data.content.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
        if (over) return;
        if (size > maxBytes) {
          over = true;
          chunks.length = 0;
          return;
        }
        chunks.push(chunk);
      });
      data.content.on("error", fail);
      data.content.on("end", () => {
        out.attachments.push({
          contentType: (data.contentType || "application/octet-stream").toLowerCase(),
          filename: data.filename,
          contentId: data.cid?.trim() || null,
          size,
          sha256: hash.digest("hex"),
          content: over ? null : Buffer.concat(chunks, size),
        });
        data.release?.();
      });
    });
    parser.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(out);
    });
    try {
      parser.end(raw);
    } catch (err) {
      fail(err);
    }
  });
}

function classifyParserError(err: unknown): EmailParseError {
  if (err instanceof EmailParseError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/child nodes|too many (?:mime )?(?:parts|nodes)/i.test(message)) {
    return new EmailParseError("too-many-parts", `Too many MIME parts: ${message}`, { cause: err });
  }
  if (/head|header/i.test(message) && /size|exceed|large|long/i.test(message)) {
    return new EmailParseError("header-too-large", `Header block too large: ${message}`, { cause: err });
  }
  return new EmailParseError("parser-error", `Failed to parse the message: ${message}`, { cause: err });
}

const MESSAGE_HEADERS = new Set([
  "from", "to", "cc", "bcc", "subject", "date", "message-id", "sender", "reply-to", "received", "return-path",
  "mime-version", "delivered-to", "in-reply-to", "references", "envelope-to", "thread-topic", "importance", "priority",
]);
const MESSAGE_HEADER_PREFIX = /^(?:x|list|resent|arc|dkim|content|authentication|auto|original)-/;

/** A header name that only an e-mail message would carry (JSON or prose with a colon does not count). */
function isMessageHeader(key: string): boolean {
  return MESSAGE_HEADERS.has(key) || MESSAGE_HEADER_PREFIX.test(key);
}

/** Drops blank lines before the headers and an mbox "From " separator line. */
function skipLeadingJunk(raw: Buffer): Buffer {
  let start = 0;
  while (start < raw.length && (raw[start] === 0x0d || raw[start] === 0x0a)) start++;
  if (raw.toString("latin1", start, start + 5) === "From ") {
    const nl = raw.indexOf(0x0a, start);
    if (nl !== -1) start = nl + 1;
  }
  return start === 0 ? raw : raw.subarray(start);
}

function isBlank(buf: Buffer): boolean {
  for (const b of buf) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replaceAll("\u0000", "")
    .replace(/^(?:[ \t]*\n)+/, "")
    .replace(/\s+$/, "");
}

function normalizeSubject(subject: string): string {
  return subject.replace(/\p{Cc}+/gu, " ").replace(/\s+/g, " ").trim();
}

const EXTENSIONS: Record<string, string> = {
  "message/rfc822": "eml",
  "message/global": "eml",
  "text/rfc822-headers": "txt",
  "message/global-headers": "txt",
  "message/disposition-notification": "txt",
  "text/plain": "txt",
  "text/html": "html",
  "text/calendar": "ics",
  "text/csv": "csv",
  "application/pdf": "pdf",
  "application/ms-tnef": "dat",
  "application/zip": "zip",
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
};

function defaultFilename(contentType: string, n: number): string {
  const ext = EXTENSIONS[contentType];
  const base = contentType.startsWith("image/") ? "image" : contentType.startsWith("message/") ? "message" : "attachment";
  return ext ? `${base}-${n}.${ext}` : `${base}-${n}`;
}

/** A file name safe to store: no directories, no control characters, at most 255 characters. */
export function cleanFilename(name: string | undefined | null): string | null {
  if (!name) return null;
  let n = name.replace(/\p{Cc}/gu, "").split(/[/\\]/).pop() ?? "";
  n = n.replace(/\s+/g, " ").trim();
  if (!n || /^\.+$/.test(n)) return null;
  if (n.length > 255) {
    const dot = n.lastIndexOf(".");
    const ext = dot > 0 && n.length - dot <= 16 ? n.slice(dot) : "";
    n = n.slice(0, 255 - ext.length) + ext;
  }
  return n;
}

/** `lowerHtml`: the raw HTML, lower-cased once by the caller. */
function referencesCid(lowerHtml: string, cid: string): boolean {
  return lowerHtml.includes(`cid:${cid.toLowerCase()}`) || lowerHtml.includes(`cid:${encodeURIComponent(cid).toLowerCase()}`);
}

function structured(value: unknown): StructuredHeader | null {
  return typeof value === "object" && value !== null && "value" in value && "params" in value ? (value as StructuredHeader) : null;
}

function languageFromTag(value: string | null): string | null {
  if (!value) return null;
  const tag = value.split(",")[0]?.trim().toLowerCase() ?? "";
  return /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/.test(tag) ? tag : null;
}

function languageFromScript(s: string): string | null {
  if (/[\u3040-\u30ff]/.test(s)) return "ja";
  if (/[\uac00-\ud7af]/.test(s)) return "ko";
  if (/[ğĞışŞİ]/.test(s)) return "tr";
  return null;
}

function safely<T>(warnings: string[], what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (err) {
    warnings.push(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    return fallback;
  }
}

/**
 * Parses one raw message. Never throws for a malformed message (missing or broken headers, bad
 * charsets, garbage dates…): those degrade to null/empty fields plus `warnings`. Throws
 * EmailParseError only for input that is not a message at all (see errors.ts for the reasons).
 */
export async function parseEmail(raw: Buffer, opts: ParseEmailOptions = {}): Promise<ParsedEmail> {
  if (!Buffer.isBuffer(raw)) throw new EmailParseError("invalid-input", "parseEmail() expects the raw message as a Buffer.");
  if (raw.length === 0 || isBlank(raw)) throw new EmailParseError("empty", "The message is empty.");
  const maxBytes = opts.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const warnings: string[] = [];
  const rawSha256 = createHash("sha256").update(raw).digest("hex");

  let prepared = skipLeadingJunk(raw);
  let charsets: string[] = [];
  try {
    const normalized = normalizeRawMessage(prepared);
    prepared = normalized.raw;
    charsets = normalized.charsets;
    warnings.push(...normalized.notes);
  } catch (err) {
    warnings.push(`charset pre-pass failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  let mail: Collected;
  try {
    mail = await runMailParser(prepared, maxBytes);
  } catch (err) {
    throw classifyParserError(err);
  }
  if (!mail.headerLines.some((l) => isMessageHeader(l.key))) {
    throw new EmailParseError("no-headers", "No header fields found: this does not look like an e-mail message.");
  }

  const h = headerReader(mail.headerLines);

  // Identity and threading.
  const messageId = extractMessageIds(h.get("message-id"))[0] ?? null;
  const inReplyTo = extractMessageIds(h.get("in-reply-to"))[0] ?? null;
  const references = [...new Set(h.all("references").flatMap((v) => extractMessageIds(v)))];

  // Subject.
  const fullSubject = normalizeSubject(headerString(mail.headers.get("subject")));
  let subject = fullSubject;
  if (subject.length > SUBJECT_MAX_LENGTH) {
    subject = subject.slice(0, SUBJECT_MAX_LENGTH - 1).trimEnd() + "…";
    warnings.push(`subject cut from ${fullSubject.length} to ${SUBJECT_MAX_LENGTH} characters`);
  }

  // Addresses.
  const from = addressesOf(mail.headers.get("from"))[0] ?? null;
  if (!from) warnings.push(h.get("from") === null ? "no From header" : "From header has no usable address");
  const sender = addressesOf(mail.headers.get("sender"))[0] ?? null;
  const replyTo = addressesOf(mail.headers.get("reply-to"));
  const to = addressesOf(mail.headers.get("to"));
  const toSet = new Set(to.map((a) => a.address));
  const cc = addressesOf(mail.headers.get("cc")).filter((a) => !toSet.has(a.address));

  const rawDate = h.get("date");
  const date = parseDateHeader(rawDate);
  if (rawDate !== null && !date) warnings.push(`unreadable Date header: ${rawDate.slice(0, 100)}`);

  // Bodies.
  const html = mail.html !== null ? sanitizeEmailHtml(mail.html) || null : null;
  let text = normalizeText(mail.text);
  if (!text && html) text = safely(warnings, "html to text", () => htmlToText(html), "");

  // Attachments.
  const attachments: ParsedAttachment[] = [];
  const droppedAttachments: DroppedAttachment[] = [];
  const lowerHtml = (mail.html ?? "").toLowerCase();
  const deliveryStatus: string[] = [];
  const returnedMessages: string[] = [];
  mail.attachments.forEach((a, i) => {
    const ct = a.contentType;
    if (ct === "message/delivery-status" || ct === "message/global-delivery-status") {
      if (a.content) deliveryStatus.push(a.content.toString("utf8"));
      return;
    }
    if (a.content && ["message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers"].includes(ct)) {
      returnedMessages.push(a.content.subarray(0, 256 * 1024).toString("utf8"));
    }
    const filename = cleanFilename(a.filename) ?? defaultFilename(ct, i + 1);
    if (!a.content) {
      droppedAttachments.push({ filename, contentType: ct, size: a.size, sha256: a.sha256, reason: "too-large" });
      warnings.push(`attachment "${filename}" (${a.size} bytes) dropped: larger than ${maxBytes} bytes`);
      return;
    }
    attachments.push({
      filename,
      contentType: ct,
      size: a.size,
      sha256: a.sha256,
      content: a.content,
      contentId: a.contentId,
      inline: a.contentId !== null && referencesCid(lowerHtml, a.contentId),
    });
  });

  // Classification.
  const contentTypeHeader = structured(mail.headers.get("content-type"));
  const rootType = contentTypeHeader?.value.toLowerCase() ?? "text/plain";
  const reportType = contentTypeHeader?.params["report-type"]?.toLowerCase() ?? null;

  const bounce = safely(
    warnings,
    "bounce detection",
    () =>
      detectBounce({
        contentType: rootType,
        reportType,
        from,
        returnPath: h.get("return-path"),
        failedRecipients: h.get("x-failed-recipients"),
        subject: fullSubject,
        text,
        deliveryStatus,
        returnedMessages,
      }),
    null,
  );
  const { autoSubmitted, autoReason } = safely(
    warnings,
    "auto-submitted detection",
    () =>
      detectAutoSubmitted({
        header: (name) => h.get(name),
        headerNames: h.names,
        from,
        subject: fullSubject,
        isBounce: bounce !== null,
        contentType: rootType,
        reportType,
      }),
    { autoSubmitted: false, autoReason: null },
  );

  const forward = bounce ? null : safely(warnings, "forward detection", () => detectManualForward(text, fullSubject), null);
  const autoForwarded =
    AUTO_FORWARD_HEADERS.some((name) => h.names.has(name)) ||
    h.get("x-ms-exchange-organization-autoforwarded")?.trim().toLowerCase() === "true";

  const lower = (list: string[] | undefined) => new Set((list ?? []).map((a) => a.trim().toLowerCase()));
  const agents = lower(opts.agentAddresses);
  const ours = lower(opts.ourAddresses);
  const fromOwnAddress = !!from && ours.has(from.address);
  const forwardedByUs = !!from && (agents.has(from.address) || ours.has(from.address));
  const requester: EmailAddress | null =
    forward && forwardedByUs ? forward.originalFrom : (from ?? replyTo[0] ?? sender ?? null);

  const languageHint =
    languageFromTag(h.get("content-language")) ??
    charsets.map(languageFromCharset).find((l) => l !== null) ??
    languageFromScript(`${fullSubject}\n${text.slice(0, 4000)}`);

  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const values = h.all(name);
    if (values.length) headers[name] = values.join(", ").slice(0, STORED_HEADER_MAX);
  }

  return {
    messageId,
    dedupeKey: messageId ?? `sha256:${rawSha256}`,
    inReplyTo,
    references,
    subject,
    from,
    sender,
    to,
    cc,
    replyTo,
    requester,
    date,
    text,
    html,
    attachments,
    droppedAttachments,
    autoSubmitted,
    autoReason,
    isBounce: bounce !== null,
    bounce,
    forward,
    autoForwarded,
    fromOwnAddress,
    ticketToken: findTicketToken(fullSubject),
    languageHint,
    headers,
    warnings,
  };
}
