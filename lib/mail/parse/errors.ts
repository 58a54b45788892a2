/**
 * The one error parseEmail() throws. Anything else that goes wrong while reading a message
 * (a broken header, an undecodable part, a bounce we cannot read) degrades to a missing field
 * and a note in `ParsedEmail.warnings`; this is for input that is not a message at all, so the
 * ingest worker can log "failed to parse" with the reason and move on.
 *
 * Reasons:
 * - `invalid-input`: the argument is not a Buffer.
 * - `empty`: zero bytes, or only whitespace.
 * - `no-headers`: no message header field (From, To, Subject, Date, Message-ID, Received,
 *   Content-Type, MIME-Version, X-…, List-…, …) could be read at the top of the input: a binary
 *   file, an HTML page, JSON, plain prose — anything that is not an RFC 822 message. Blank lines
 *   and an mbox "From " line before the headers are skipped first, so they do not cause this.
 * - `header-too-large`: one header block is larger than 1 MiB (mailparser's `maxHeadSize`).
 * - `too-many-parts`: more than 1000 MIME parts (mailparser's `maxChildNodes`).
 * - `parser-error`: mailparser reported any other error (or threw); `cause` holds it.
 */
export type EmailParseErrorReason =
  | "invalid-input"
  | "empty"
  | "no-headers"
  | "header-too-large"
  | "too-many-parts"
  | "parser-error";

export class EmailParseError extends Error {
  override readonly name = "EmailParseError";

  constructor(
    public readonly reason: EmailParseErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isEmailParseError(err: unknown): err is EmailParseError {
  return err instanceof EmailParseError;
}
