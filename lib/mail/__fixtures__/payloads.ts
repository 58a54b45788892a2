/**
 * Deterministic attachment payloads shared by generate.ts (which embeds them in the .eml
 * fixtures) and the parser tests (which check the parsed attachments are byte-identical).
 */

export const SUPPORT = "support@acme.test";
export const OUR_ADDRESSES = [SUPPORT, "destek@acme.test"];
export const AGENTS = ["ayse.kaya@acme.test", "tom.baker@acme.test"];

/** xorshift32 bytes: every byte value occurs, so base64 round trips are really tested. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A valid 1×1 PNG. */
export const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** A valid 1×1 GIF. */
export const GIF_1X1 = Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");

/** A small (structurally valid) PDF. */
export const PDF_INVOICE = Buffer.from(
  [
    "%PDF-1.4",
    "%\xe2\xe3\xcf\xd3",
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj",
    "4 0 obj << /Length 44 >> stream",
    "BT /F1 24 Tf 72 720 Td (Invoice 2024-0042) Tj ET",
    "endstream endobj",
    "trailer << /Root 1 0 R >>",
    "%%EOF",
    "",
  ].join("\n"),
  "latin1",
);

/**
 * A winmail.dat as Outlook sends it: TNEF signature 0x223E9F78 (little endian), a legacy key,
 * then attribute records. The records after the version attribute are filler bytes.
 */
export const WINMAIL_DAT = Buffer.concat([
  Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x1b, 0x5c, 0x01, 0x06, 0x90, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00]),
  pseudoRandomBytes(4096, 0x7e5f),
]);

/** A spreadsheet-like binary with no useful MIME type of its own. */
export const XLSX_LIKE = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), pseudoRandomBytes(2048, 42)]);

export const CSV_ORDERS = Buffer.from("sipariş_no;müşteri;tutar\n1001;Şule Yılmaz;250,00\n1002;İbrahim Öztürk;99,90\n", "utf8");

/** Size of the oversized attachment the tests build in memory (never committed). */
export const HUGE_ATTACHMENT_BYTES = 25 * 1024 * 1024;
