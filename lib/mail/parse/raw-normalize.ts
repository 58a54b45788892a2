/**
 * A light pre-pass over the raw message, before mailparser sees it, for the charset cases
 * mailparser reads wrongly (it assumes UTF-8 whenever a part does not name a charset):
 *
 * - a text/plain or text/html part WITHOUT a charset (or with a charset TextDecoder does not know)
 *   whose body is ISO-2022-JP (7-bit with ESC sequences) or 8-bit non-UTF-8 gets a sniffed
 *   `charset=` parameter added to its Content-Type;
 * - a part that says us-ascii/utf-8 but whose 8-bit body has no valid UTF-8 sequence at all is
 *   relabelled with a single-byte guess (windows-1254 when Turkish letters occur, else windows-1252);
 * - a header block with raw 8-bit bytes that are not UTF-8 (or raw ISO-2022-JP) is transcoded to
 *   UTF-8 using the part's declared charset as a hint, so subjects, names and file names decode.
 *
 * Only header blocks are rewritten; bodies (and so attachments) are never touched. The walker is
 * deliberately forgiving: on anything it does not understand it leaves the bytes alone.
 */
import {
  decodeBytes,
  decodeQuotedPrintable,
  guessSingleByte,
  hasIso2022JpEscapes,
  isKnownCharset,
  isSingleByteOrJapanese,
  normalizeCharset,
  scanUtf8,
  sniffCharset,
} from "./charset";

export interface NormalizeResult {
  raw: Buffer;
  /** What was changed, for ParsedEmail.warnings. */
  notes: string[];
  /** Charsets of the text body parts (declared or guessed), in order. */
  charsets: string[];
}

interface Field {
  name: string;
  value: string;
  /** Offsets in the header string; `end` excludes the line break. */
  start: number;
  end: number;
}

interface Edit {
  start: number;
  end: number;
  replacement: Buffer;
}

interface Ctx {
  raw: Buffer;
  /** The message's line break, for the header lines we add. */
  eol: string;
  edits: Edit[];
  notes: string[];
  charsets: string[];
  parts: number;
}

const MAX_DEPTH = 40;
const MAX_PARTS = 1000;
const MAX_HEADER_BLOCK = 256 * 1024;
/** Text bodies larger than this are not sniffed (mailparser decodes them as UTF-8). */
const MAX_SNIFF_BYTES = 8 * 1024 * 1024;

export function normalizeRawMessage(raw: Buffer): NormalizeResult {
  const firstLf = raw.indexOf(0x0a);
  const eol = firstLf > 0 && raw[firstLf - 1] === 0x0d ? "\r\n" : "\n";
  const ctx: Ctx = { raw, eol, edits: [], notes: [], charsets: [], parts: 0 };
  walkPart(ctx, 0, raw.length, 0, "text/plain", "1");
  if (ctx.edits.length === 0) return { raw, notes: ctx.notes, charsets: ctx.charsets };
  ctx.edits.sort((a, b) => a.start - b.start);
  const chunks: Buffer[] = [];
  let pos = 0;
  for (const e of ctx.edits) {
    if (e.start < pos) continue; // overlapping edits cannot happen; be safe anyway
    chunks.push(raw.subarray(pos, e.start), e.replacement);
    pos = e.end;
  }
  chunks.push(raw.subarray(pos));
  return { raw: Buffer.concat(chunks), notes: ctx.notes, charsets: ctx.charsets };
}

function walkPart(ctx: Ctx, start: number, end: number, depth: number, defaultType: string, path: string): void {
  if (depth > MAX_DEPTH || ++ctx.parts > MAX_PARTS || start > end) return;
  const { raw } = ctx;
  const { headerEnd, bodyStart } = splitHead(raw, start, end);
  const headerBuf = raw.subarray(start, headerEnd);
  if (headerBuf.length > MAX_HEADER_BLOCK) return;

  let head = headerBuf.toString("latin1");
  let fields = parseFields(head);
  const ct = parseContentType(fields.find((f) => f.name === "content-type")?.value, defaultType);
  const cte = (fields.find((f) => f.name === "content-transfer-encoding")?.value ?? "").trim().toLowerCase();
  const disposition = (fields.find((f) => f.name === "content-disposition")?.value ?? "").trim().toLowerCase();

  // 1. Raw 8-bit (or ISO-2022-JP) bytes in the header block.
  let utf8Head = false;
  let changed = false;
  const headScan = scanUtf8(headerBuf);
  if (headScan.highBytes) {
    utf8Head = true;
    if (headScan.valid) {
      head = headerBuf.toString("utf8");
    } else {
      const declared = ct.params["charset"];
      const hint = declared && isSingleByteOrJapanese(declared) ? normalizeCharset(declared) : guessSingleByte(headerBuf);
      head = decodeBytes(headerBuf, hint);
      changed = true;
      ctx.notes.push(`part ${path}: 8-bit header bytes read as ${hint}`);
    }
  } else if (hasIso2022JpEscapes(headerBuf)) {
    utf8Head = true;
    head = decodeBytes(headerBuf, "iso-2022-jp");
    changed = true;
    ctx.notes.push(`part ${path}: raw ISO-2022-JP header bytes decoded`);
  }
  if (changed) fields = parseFields(head);

  // 2. Structure.
  if (ct.type.startsWith("multipart/")) {
    let boundary = ct.params["boundary"];
    if (!boundary && ct.hadHeader) {
      const guess = guessBoundary(raw, bodyStart, end);
      if (guess) {
        head = setParam(head, fields, "boundary", `"${guess}"`);
        changed = true;
        boundary = guess;
        ctx.notes.push(`part ${path}: ${ct.type} without a boundary, using "${guess}" found in the body`);
      }
    }
    if (boundary) {
      const childType = ct.type === "multipart/digest" ? "message/rfc822" : "text/plain";
      splitMultipart(raw, bodyStart, end, boundary).forEach(([s, e], i) =>
        walkPart(ctx, s, e, depth + 1, childType, `${path}.${i + 1}`),
      );
    }
  } else if ((ct.type === "message/rfc822" || ct.type === "message/global") && !["base64", "quoted-printable"].includes(cte)) {
    walkPart(ctx, bodyStart, end, depth + 1, "text/plain", `${path}.1`);
  } else if ((ct.type === "text/plain" || ct.type === "text/html") && !disposition.startsWith("attachment")) {
    // 3. Text body charset.
    const declared = ct.params["charset"];
    let charset: string | null = null;
    if (end - bodyStart <= MAX_SNIFF_BYTES * 2) {
      const body = decodeTransfer(raw.subarray(bodyStart, end), cte);
      charset = chooseCharset(declared, body);
    }
    if (charset) {
      head = setCharsetParam(head, fields, charset, ct.hadHeader, ct.type, ctx.eol);
      changed = true;
      ctx.notes.push(
        declared
          ? `part ${path}: declared charset "${declared}" does not fit the body, read as ${charset}`
          : `part ${path}: no charset, detected ${charset}`,
      );
    }
    ctx.charsets.push(charset ?? declared ?? "utf-8");
  }

  if (changed) {
    ctx.edits.push({ start, end: headerEnd, replacement: Buffer.from(head, utf8Head ? "utf8" : "latin1") });
  }
}

/** The charset to impose on a text body, or null to leave the part alone. */
function chooseCharset(declared: string | undefined, body: Buffer): string | null {
  if (!declared) return sniffCharset(body);
  const d = normalizeCharset(declared);
  if (d === "us-ascii" || d === "ascii" || d === "utf-8") {
    const scan = scanUtf8(body);
    if (!scan.highBytes) return d !== "utf-8" && hasIso2022JpEscapes(body) ? "ISO-2022-JP" : null;
    // Mislabelled single-byte text: 8-bit bytes and not one valid UTF-8 sequence.
    return scan.multibyte === 0 ? guessSingleByte(body) : null;
  }
  // UTF-7 is refused on purpose by mailparser (it can smuggle markup); leave it refused.
  if (/^(?:unicode-1-1-)?utf-?7(?:-imap)?$/.test(d)) return null;
  if (!isKnownCharset(d)) return sniffCharset(body);
  return null;
}

function decodeTransfer(body: Buffer, cte: string): Buffer {
  if (cte === "base64") return Buffer.from(body.toString("latin1").replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
  if (cte === "quoted-printable") return decodeQuotedPrintable(body.toString("latin1"));
  return body;
}

function setCharsetParam(head: string, fields: Field[], charset: string, hadHeader: boolean, type: string, eol: string): string {
  if (!hadHeader || !fields.some((f) => f.name === "content-type")) {
    const line = `Content-Type: ${type}; charset=${charset}`;
    return head.length === 0 ? line + eol : head + eol + line;
  }
  return setParam(head, fields, "charset", charset);
}

/** Sets (replaces or appends) a parameter of the Content-Type field. */
function setParam(head: string, fields: Field[], name: string, value: string): string {
  const field = fields.find((f) => f.name === "content-type");
  if (!field) return head;
  const text = head.slice(field.start, field.end);
  const re = new RegExp(`(;\\s*${name}\\s*=\\s*)("[^"]*"|[^;\\s]*)`, "i");
  const replaced = re.test(text) ? text.replace(re, (_m, prefix: string) => `${prefix}${value}`) : `${text}; ${name}=${value}`;
  return head.slice(0, field.start) + replaced + head.slice(field.end);
}

/** A multipart body without a boundary parameter: the first "--xyz" line that occurs at least twice. */
function guessBoundary(buf: Buffer, bodyStart: number, end: number): string | null {
  const sample = buf.toString("latin1", bodyStart, Math.min(end, bodyStart + 64 * 1024));
  const m = /^--([A-Za-z0-9'()+_,./:=?-][A-Za-z0-9'()+_,./:=? -]{0,69}?)[ \t]*\r?$/m.exec(sample);
  if (!m) return null;
  const candidate = m[1]!.replace(/--$/, "");
  if (!candidate || /"/.test(candidate)) return null;
  const delim = Buffer.from(`\n--${candidate}`, "latin1");
  return buf.subarray(0, end).indexOf(delim, bodyStart + m.index + 2) !== -1 ? candidate : null;
}

/** Where the header block of a part ends (excluding its last line break) and where the body starts. */
export function splitHead(buf: Buffer, start: number, end: number): { headerEnd: number; bodyStart: number } {
  if (buf[start] === 0x0a) return { headerEnd: start, bodyStart: start + 1 };
  if (buf[start] === 0x0d && buf[start + 1] === 0x0a) return { headerEnd: start, bodyStart: start + 2 };
  // Search only inside this part, so a part without a blank line does not scan the rest of the message.
  const part = buf.subarray(start, end);
  const a = part.indexOf("\n\n", 0, "latin1");
  const b = part.indexOf("\n\r\n", 0, "latin1");
  const candidates = [a, b].filter((i) => i !== -1).map((i) => start + i);
  if (candidates.length === 0) return { headerEnd: end, bodyStart: end };
  const i = Math.min(...candidates);
  const headerEnd = i > start && buf[i - 1] === 0x0d ? i - 1 : i;
  const bodyStart = Math.min(end, i === a ? i + 2 : i + 3);
  return { headerEnd, bodyStart };
}

function parseFields(head: string): Field[] {
  const fields: Field[] = [];
  let cur: Field | null = null;
  const re = /\r?\n/g;
  let lineStart = 0;
  for (;;) {
    const m = re.exec(head);
    const lineEnd = m ? m.index : head.length;
    const line = head.slice(lineStart, lineEnd);
    if (/^[ \t]/.test(line) && cur) {
      cur.value += " " + line.trim();
      cur.end = lineEnd;
    } else {
      const fm = /^([^:\s]+)[ \t]*:(.*)$/.exec(line);
      if (fm) {
        cur = { name: fm[1]!.toLowerCase(), value: fm[2]!, start: lineStart, end: lineEnd };
        fields.push(cur);
      } else {
        cur = null;
      }
    }
    if (!m) break;
    lineStart = m.index + m[0].length;
  }
  return fields;
}

export interface ContentType {
  type: string;
  params: Record<string, string>;
  hadHeader: boolean;
}

export function parseContentType(value: string | undefined, defaultType: string): ContentType {
  if (!value || !value.trim()) return { type: defaultType, params: {}, hadHeader: false };
  const v = value.replace(/\([^()]*\)/g, " ");
  const semi = v.indexOf(";");
  const type = (semi === -1 ? v : v.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = {};
  const re = /;\s*([A-Za-z0-9_.*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v))) {
    const key = m[1]!.toLowerCase();
    let val = m[2]!;
    if (val.startsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, "$1");
    if (!(key in params)) params[key] = val;
  }
  return { type: type.includes("/") ? type : defaultType, params, hadHeader: true };
}

/** [start, end) of each body part between the boundary delimiter lines. */
export function splitMultipart(buf: Buffer, bodyStart: number, end: number, boundary: string): [number, number][] {
  const delim = Buffer.from("--" + boundary, "latin1");
  const marks: { lineStart: number; afterLine: number; close: boolean }[] = [];
  const body = buf.subarray(0, end);
  let pos = bodyStart;
  while (pos < end) {
    const i = body.indexOf(delim, pos);
    if (i === -1) break;
    if (i === bodyStart || buf[i - 1] === 0x0a) {
      let j = i + delim.length;
      let close = false;
      if (buf[j] === 0x2d && buf[j + 1] === 0x2d) {
        close = true;
        j += 2;
      }
      while (j < end && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
      if (j >= end || buf[j] === 0x0a || (buf[j] === 0x0d && buf[j + 1] === 0x0a)) {
        const afterLine = j >= end ? end : buf[j] === 0x0a ? j + 1 : j + 2;
        marks.push({ lineStart: i, afterLine, close });
        if (close) break;
        pos = afterLine;
        continue;
      }
    }
    pos = i + 1;
  }
  const ranges: [number, number][] = [];
  for (let k = 0; k < marks.length; k++) {
    const mark = marks[k]!;
    if (mark.close) break;
    const next = marks[k + 1];
    let partEnd = next ? next.lineStart : end;
    if (next) {
      if (partEnd > mark.afterLine && buf[partEnd - 1] === 0x0a) partEnd--;
      if (partEnd > mark.afterLine && buf[partEnd - 1] === 0x0d) partEnd--;
    }
    ranges.push([mark.afterLine, Math.max(mark.afterLine, partEnd)]);
  }
  return ranges;
}
