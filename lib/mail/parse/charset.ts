/**
 * Charset sniffing and decoding with Node's built-in (full-ICU) TextDecoder: no extra dependency.
 * Used where a part or header does not say (or lies about) its charset.
 */

/** ISO-2022-JP designations after ESC: "$@", "$B", "$(D", "(B", "(J", "(I". */
const ISO_2022_JP_DESIGNATIONS = ["$@", "$B", "$(D", "(B", "(J", "(I"];

export interface Utf8Scan {
  /** Any byte >= 0x80. */
  highBytes: boolean;
  /** The bytes are valid UTF-8. */
  valid: boolean;
  /** Well-formed multi-byte sequences seen. */
  multibyte: number;
  /** Bytes that are not part of a well-formed sequence. */
  invalid: number;
}

export function scanUtf8(bytes: Uint8Array): Utf8Scan {
  let highBytes = false;
  let multibyte = 0;
  let invalid = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    highBytes = true;
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      invalid++;
      i++;
      continue;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = i + need < n;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { highBytes, valid: invalid === 0, multibyte, invalid };
}

/** True when 7-bit bytes carry ISO-2022-JP escape sequences. */
export function hasIso2022JpEscapes(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = buf.indexOf(0x1b); i !== -1; i = buf.indexOf(0x1b, i + 1)) {
    const next = buf.toString("latin1", i + 1, i + 4);
    if (ISO_2022_JP_DESIGNATIONS.some((d) => next.startsWith(d))) return true;
  }
  return false;
}

/** Bytes that are Turkish letters in windows-1254 / ISO-8859-9 (Ğ İ Ş ğ ı ş) but rare in windows-1252 (Ð Ý Þ ð ý þ). */
const TURKISH_BYTES = new Set([0xd0, 0xdd, 0xde, 0xf0, 0xfd, 0xfe]);

/**
 * Guesses the charset of bytes that came without one. Returns null when UTF-8 (or plain ASCII)
 * reads them correctly, "ISO-2022-JP" for 7-bit text with its escape sequences, else a single-byte
 * guess: windows-1254 when Turkish-only letters occur, windows-1252 otherwise.
 */
export function sniffCharset(bytes: Uint8Array): string | null {
  const scan = scanUtf8(bytes);
  if (!scan.highBytes) return hasIso2022JpEscapes(bytes) ? "ISO-2022-JP" : null;
  if (scan.valid) return null;
  return guessSingleByte(bytes);
}

export function guessSingleByte(bytes: Uint8Array): "windows-1254" | "windows-1252" {
  for (const b of bytes) if (TURKISH_BYTES.has(b)) return "windows-1254";
  return "windows-1252";
}

/** Charset labels TextDecoder does not know, mapped to ones it does. */
const ALIASES: Record<string, string> = {
  "iso-2022-jp-ms": "iso-2022-jp",
  "iso-2022-jp-1": "iso-2022-jp",
  "iso-2022-jp-2": "iso-2022-jp",
  "iso-2022-jp-3": "iso-2022-jp",
  "cp932": "shift_jis",
  "windows-31j": "shift_jis",
  "x-sjis": "shift_jis",
  "ks_c_5601-1987": "euc-kr",
  "cp1254": "windows-1254",
  "cp1252": "windows-1252",
  "cp1251": "windows-1251",
  "ansi_x3.4-1968": "us-ascii",
  "utf8": "utf-8",
};

export function normalizeCharset(label: string): string {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, "");
  return ALIASES[l] ?? l;
}

/** True when TextDecoder can decode this label. */
export function isKnownCharset(label: string): boolean {
  try {
    new TextDecoder(normalizeCharset(label));
    return true;
  } catch {
    return false;
  }
}

/**
 * windows-1252 0x80–0x9F. Node 20's TextDecoder decodes the whole windows-1252 family (which the
 * Encoding Standard maps latin1, iso-8859-1 and us-ascii to) as ISO-8859-1, giving C1 controls here.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Decodes bytes; an unknown label falls back to UTF-8 (invalid bytes become U+FFFD). Never throws. */
export function decodeBytes(bytes: Uint8Array, charset: string | null | undefined): string {
  const label = charset ? normalizeCharset(charset) : "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
  return decoder.encoding === "windows-1252" ? decodeWindows1252(bytes) : decoder.decode(bytes);
}

/** Charsets whose raw 8-bit bytes in a header block can be read with the part's body charset. */
export function isSingleByteOrJapanese(label: string): boolean {
  const l = normalizeCharset(label);
  return /^(?:iso-8859-\d+|windows-125\d|koi8-[ru]|shift_jis|euc-jp|euc-kr|gb2312|gbk|gb18030|big5|latin\d?)$/.test(l);
}

/** Decodes a quoted-printable body (latin1 string) to bytes. Lenient: a stray "=" stays as is. */
export function decodeQuotedPrintable(input: string): Buffer {
  const s = input.replace(/[ \t]+(?=\r?\n)/g, "").replace(/=\r?\n/g, "");
  const out = Buffer.alloc(s.length);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d && i + 2 < s.length && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out[o++] = parseInt(s.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[o++] = c & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** Language hint from a charset label, for the few charsets that imply one. */
export function languageFromCharset(label: string): string | null {
  const l = normalizeCharset(label);
  if (/^(?:iso-2022-jp|shift_jis|euc-jp)$/.test(l)) return "ja";
  if (/^(?:iso-8859-9|windows-1254|latin5)$/.test(l)) return "tr";
  if (/^(?:euc-kr|iso-2022-kr)$/.test(l)) return "ko";
  if (/^(?:koi8-r)$/.test(l)) return "ru";
  if (/^(?:gb2312|gbk|gb18030|big5|hz-gb-2312)$/.test(l)) return "zh";
  return null;
}
