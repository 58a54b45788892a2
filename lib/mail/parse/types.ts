/** Public types of the inbound e-mail parser (lib/mail/parse). */

/** A mailbox. `address` is trimmed and lower-cased; `name` is the decoded display name or null. */
export interface EmailAddress {
  address: string;
  name: string | null;
}

export interface ParseEmailOptions {
  /** Attachments larger than this (decoded bytes) are dropped, the rest kept. Default 20 MiB. */
  maxAttachmentBytes?: number;
  /**
   * The help desk's own mailbox addresses. A manual forward sent From one of these is treated like
   * one sent by an agent (the requester becomes the original sender), and `fromOwnAddress` is set
   * when the message comes from one of them (mail loops).
   */
  ourAddresses?: string[];
  /** Agents' addresses: when one of them forwards a customer's mail, the customer is the requester. */
  agentAddresses?: string[];
}

export interface ParsedAttachment {
  /** Decoded file name with path separators and control characters removed; generated when missing. */
  filename: string;
  /** Lower-case MIME type (for application/octet-stream, guessed from the file name by mailparser). */
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** Hex SHA-256 of `content`. */
  sha256: string;
  content: Buffer;
  /** Content-ID without angle brackets, or null. */
  contentId: string | null;
  /** True for an embedded image the HTML refers to by `cid:` (show it in the body, not as a file). */
  inline: boolean;
}

export interface DroppedAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  reason: "too-large";
}

export interface BounceInfo {
  /** Message-ID (no angle brackets) of the message that bounced, from the returned headers. */
  originalMessageId: string | null;
  /** The failed recipient (lower-cased address). */
  recipient: string | null;
  /** Enhanced status code, e.g. "5.1.1". */
  status: string | null;
  /** DSN Action: "failed", "delayed", "delivered", "relayed", "expanded", or null when unknown. */
  action: string | null;
  /** Diagnostic-Code (without the "smtp;" type) or the remote server's reply line. */
  diagnostic: string | null;
}

export type ForwardStyle = "gmail" | "outlook" | "apple" | "thunderbird";

export interface ManualForward {
  kind: "manual";
  /** Which client's layout was recognised. */
  style: ForwardStyle;
  originalFrom: EmailAddress;
  originalSubject: string | null;
  /** The date as the forwarding client printed it (not parsed: formats and languages vary). */
  originalDate: string | null;
}

export interface ParsedEmail {
  /** Message-ID without angle brackets, or null when missing/empty. */
  messageId: string | null;
  /** `messageId`, else "sha256:" + hex SHA-256 of the raw message. */
  dedupeKey: string;
  /** First Message-ID of In-Reply-To (no angle brackets). */
  inReplyTo: string | null;
  /** Message-IDs of References, in order, without duplicates (no angle brackets). */
  references: string[];
  /** Decoded subject, whitespace collapsed, "" when missing; cut to SUBJECT_MAX_LENGTH characters. */
  subject: string;
  /** First mailbox of From, or null when missing or unparseable. */
  from: EmailAddress | null;
  /** Sender header, when present. */
  sender: EmailAddress | null;
  /** Deduplicated across repeated headers. */
  to: EmailAddress[];
  /** Deduplicated, and without addresses already in `to`. */
  cc: EmailAddress[];
  replyTo: EmailAddress[];
  /** Who the ticket is for: the original sender of an agent's manual forward, else From (else Reply-To, else Sender). */
  requester: EmailAddress | null;
  /** The Date header, or null when missing or unparseable (never "now"). */
  date: Date | null;
  /** Plain text: the text/plain parts, or derived from the sanitised HTML when there is none. "\n" line ends. */
  text: string;
  /** Sanitised HTML, or null when the message has no HTML part. `cid:` URLs are left as they are. */
  html: string | null;
  attachments: ParsedAttachment[];
  droppedAttachments: DroppedAttachment[];
  /** Sent by a machine (auto-reply, list, bulk, bounce…): do not auto-acknowledge, do not reply automatically. */
  autoSubmitted: boolean;
  /** Why `autoSubmitted` is true, e.g. "auto-submitted:auto-replied", "precedence:bulk", "list-id". */
  autoReason: string | null;
  /** A delivery status notification (bounce). */
  isBounce: boolean;
  bounce: BounceInfo | null;
  /** A manual forward recognised in the body (whoever sent it). */
  forward: ManualForward | null;
  /** The message carries server-side forwarding headers (X-Forwarded-For/-To, Resent-From…). From stays the requester. */
  autoForwarded: boolean;
  /** From is one of `ourAddresses`. */
  fromOwnAddress: boolean;
  /** Ticket number from a "[#1234]" token in the subject. */
  ticketToken: number | null;
  /** A BCP 47-ish language hint ("tr", "ja", "en-us"…) from Content-Language, charsets or script; may be null. */
  languageHint: string | null;
  /** A few raw (unfolded, decoded) headers worth storing, keyed by lower-case name; see STORED_HEADERS. */
  headers: Record<string, string>;
  /** Non-fatal problems met while parsing (charset guessed, bad date, dropped attachment…). */
  warnings: string[];
}
