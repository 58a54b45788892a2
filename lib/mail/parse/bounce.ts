/**
 * Bounces (delivery status notifications). Standard DSNs (RFC 3464: multipart/report;
 * report-type=delivery-status) are read from their message/delivery-status part; the Message-ID
 * of the bounced message comes from the returned message/rfc822 or text/rfc822-headers part, or
 * failing that from a "Message-ID:" line quoted in the body. Non-standard bounces (old qmail/Exim
 * style plain text from MAILER-DAEMON/postmaster or with a null Return-Path, with a bounce-like
 * subject, or carrying X-Failed-Recipients) are recognised with text heuristics.
 */
import { isDaemonAddress } from "./auto";
import { extractMessageIds, normalizeAddress, unfold } from "./headers";
import type { BounceInfo, EmailAddress } from "./types";

export interface BounceInput {
  contentType: string;
  reportType: string | null;
  from: EmailAddress | null;
  returnPath: string | null;
  failedRecipients: string | null;
  subject: string;
  text: string;
  /** Bodies of message/delivery-status parts. */
  deliveryStatus: string[];
  /** Bodies (or their start) of message/rfc822 and text/rfc822-headers parts. */
  returnedMessages: string[];
}

const BOUNCE_SUBJECT =
  /(?:undeliver|undelivered|delivery (?:status notification|failure|has failed|failed|problem)|returned mail|mail delivery failed|failure notice|non[- ]?delivery|could not be delivered|mail system error|teslim edilemedi|iletilemedi|unzustellbar|non remis|no se pudo entregar)/i;

type Fields = Record<string, string>;

/** Splits a delivery-status body into its per-message and per-recipient field groups. */
export function parseDeliveryStatus(body: string): { message: Fields; recipients: Fields[] } {
  const groups = body
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((g) => g.trim())
    .filter(Boolean)
    .map(parseFieldGroup);
  const [message = {}, ...recipients] = groups;
  // Some MTAs put everything into one group.
  if (recipients.length === 0 && (message["final-recipient"] || message["original-recipient"])) return { message, recipients: [message] };
  return { message, recipients };
}

function parseFieldGroup(group: string): Fields {
  const fields: Fields = {};
  const lines = unfoldLines(group);
  for (const line of lines) {
    const m = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line);
    if (m && fields[m[1]!.toLowerCase()] === undefined) fields[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  return fields;
}

function unfoldLines(text: string): string[] {
  return text.replace(/\n[ \t]+/g, " ").split("\n");
}

function typedValue(v: string | undefined): string | null {
  if (!v) return null;
  const semi = v.indexOf(";");
  const rest = (semi === -1 ? v : v.slice(semi + 1)).trim();
  return rest || null;
}

/** The Message-ID in the header block at the start of a returned message. */
function messageIdOfReturned(body: string): string | null {
  const normalized = body.replace(/\r\n?/g, "\n");
  const end = normalized.search(/\n[ \t]*\n/);
  const head = end === -1 ? normalized : normalized.slice(0, end);
  for (const line of unfoldLines(head)) {
    const m = /^message-id\s*:\s*(.*)$/i.exec(line);
    if (m) return extractMessageIds(unfold(m[1]!))[0] ?? null;
  }
  return null;
}

function messageIdQuotedInText(text: string): string | null {
  const m = /^[ \t>]*Message-ID\s*:\s*(<[^<>\s]+>|[^\s<>]+@[^\s<>]+)/im.exec(text);
  return m ? (extractMessageIds(m[1]!)[0] ?? null) : null;
}

function statusIn(text: string): string | null {
  const m = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text);
  return m ? m[1]! : null;
}

function diagnosticIn(text: string): string | null {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (/\b[45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3}\b)?/.test(line) && !/^(?:>|Received:|Date:)/i.test(line)) {
      let out = line;
      // Continuation lines are indented.
      for (let k = i + 1; k < lines.length && /^[ \t]+\S/.test(lines[k] ?? "") && out.length < 500; k++) out += " " + (lines[k] ?? "").trim();
      return out.slice(0, 500);
    }
  }
  return null;
}

function recipientIn(text: string, failedRecipients: string | null): string | null {
  if (failedRecipients) {
    const first = normalizeAddress(failedRecipients.split(/[,\s]+/).find((s) => s.includes("@")));
    if (first) return first;
  }
  const patterns = [
    /^[ \t]*Final-Recipient\s*:\s*(?:rfc822\s*;\s*)?<?([^\s<>;]+@[^\s<>;]+)>?/im,
    /^[ \t]*<([^\s<>]+@[^\s<>]+)>\s*:/m, // Postfix / qmail: "<bob@example.com>:"
    /following (?:address(?:\(es\))?|recipients?)[^\n]*failed:?\s*\n\s*\n?[ \t]*<?([^\s<>]+@[^\s<>]+?)>?(?:\s|$)/i, // Exim
    /could not be delivered to:?\s*\n?\s*<?([^\s<>]+@[^\s<>]+?)>?(?:\s|$)/i,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    const a = m ? normalizeAddress(m[1]) : null;
    if (a) return a;
  }
  return null;
}

export function detectBounce(input: BounceInput): BounceInfo | null {
  const dsn =
    (input.contentType === "multipart/report" && input.reportType === "delivery-status") || input.deliveryStatus.length > 0;
  const nullSender = input.returnPath !== null && /^<?\s*>?$/.test(input.returnPath.trim());
  const heuristic =
    !dsn &&
    (!!input.failedRecipients || ((isDaemonAddress(input.from) || nullSender) && BOUNCE_SUBJECT.test(input.subject)));
  if (!dsn && !heuristic) return null;

  let originalMessageId: string | null = null;
  for (const body of input.returnedMessages) {
    originalMessageId = messageIdOfReturned(body);
    if (originalMessageId) break;
  }
  originalMessageId ??= messageIdQuotedInText(input.text);

  if (dsn) {
    const parsed = input.deliveryStatus.map(parseDeliveryStatus);
    const recipients = parsed.flatMap((p) => p.recipients);
    const chosen =
      recipients.find((r) => r["action"]?.toLowerCase() === "failed") ??
      recipients.find((r) => r["action"]) ??
      recipients[0];
    if (chosen) {
      const diagnostic = typedValue(chosen["diagnostic-code"]);
      return {
        originalMessageId,
        recipient: normalizeAddress(typedValue(chosen["final-recipient"]) ?? typedValue(chosen["original-recipient"])),
        status: statusIn(chosen["status"] ?? "") ?? (diagnostic ? statusIn(diagnostic) : null),
        action: chosen["action"]?.toLowerCase() ?? null,
        diagnostic,
      };
    }
  }
  const status = statusIn(input.text);
  return {
    originalMessageId,
    recipient: recipientIn(input.text, input.failedRecipients),
    status,
    action: status?.startsWith("4") ? "delayed" : status?.startsWith("5") ? "failed" : null,
    diagnostic: diagnosticIn(input.text),
  };
}
