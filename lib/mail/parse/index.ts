/**
 * Inbound e-mail parsing (the pure part of the email channel's ingestion): raw RFC 822 bytes in,
 * a normalised, sanitised structure out. No database, no network.
 */
export { parseEmail, DEFAULT_MAX_ATTACHMENT_BYTES, SUBJECT_MAX_LENGTH, STORED_HEADERS, cleanFilename } from "./parse-email";
export { EmailParseError, isEmailParseError, type EmailParseErrorReason } from "./errors";
export { stripQuotedHistory, type QuoteSplit } from "./quoted";
export { findTicketToken } from "./token";
export { rewriteCidUrls, sanitizeEmailHtml, htmlToText } from "./sanitize";
export { detectManualForward, parsePrintedAddress } from "./forward";
export { sniffCharset } from "./charset";
export type {
  BounceInfo,
  DroppedAttachment,
  EmailAddress,
  ForwardStyle,
  ManualForward,
  ParsedAttachment,
  ParsedEmail,
  ParseEmailOptions,
} from "./types";
