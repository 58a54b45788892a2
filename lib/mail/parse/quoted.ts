/**
 * Folding quoted history: splits a reply into what the sender wrote now (`visible`) and the
 * earlier conversation it quotes (`quoted`), so the UI can collapse the latter.
 *
 * Recognised (text): "On … wrote:" attributions (en, tr, de, fr, es, pt, nl, it; wrapped over up to
 * three lines), "-----Original Message-----"-style separators, Outlook "From: / Sent: / To: / Subject:"
 * header blocks (with or without the "____" rule above them), and a trailing block of ">" lines.
 * An attribution followed by interleaved answers (inline replies) is not folded there.
 * Recognised (HTML): Gmail `div.gmail_quote`, Apple Mail / Thunderbird `blockquote[type=cite]`
 * (with the attribution line before it), Thunderbird `div.moz-cite-prefix`, Outlook `#appendonsend`,
 * `#divRplyFwdMsg` and the `border-top:solid #E1E1E1` header div, Yahoo `div.yahoo_quoted`, and an
 * "Original Message" separator.
 * Forwarded-message markers ("---------- Forwarded message ---------", "Begin forwarded message:")
 * are NOT folded: in a forward that part is the content. Nothing is ever folded into `quoted` when it
 * would leave `visible` empty.
 */
import { isForwardMarkerLine } from "./forward";
import { htmlToText, sanitizeEmailHtml } from "./sanitize";

export interface QuoteSplit {
  visible: string;
  quoted: string;
}

const ATTRIBUTIONS: RegExp[] = [
  /^On\s.{1,300}\swrote\s?:$/i,
  /^.{1,300}\starihinde\s.{0,300}(?:şunu\s)?yazdı\s?:$/i,
  /^Am\s.{1,300}\sschrieb\s.{0,200}:$/i,
  /^Le\s.{1,300}\sa\sécrit\s?:$/i,
  /^El\s.{1,300}\sescribió\s?:$/i,
  /^Em\s.{1,300}\sescreveu\s?:$/i,
  /^Op\s.{1,300}\sschreef\s.{0,200}:$/i,
  /^Il\s.{1,300}\sha\sscritto\s?:$/i,
];
const ATTRIBUTION_START = /^(?:On|Am|Le|El|Em|Op|Il)\s|tarihinde/i;

const SEPARATORS: RegExp[] = [
  /^-{2,}\s*(?:Original Message|Original message|Özgün İleti|Orijinal İleti|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht)\s*-{2,}$/i,
];

const HEADER_FROM = /^\*?(?:From|Kimden|Gönderen|Von|De|Van|Da)\s*:\*?\s*\S/i;
const HEADER_SENT = /^\*?(?:Sent|Date|Gönderildi|Gönderilme Tarihi|Tarih|Gesendet|Datum|Envoyé|Enviado|Verzonden|Inviato|Data)\s*:/i;
const HEADER_TO_OR_SUBJECT = /^\*?(?:To|Subject|Kime|Konu|Alıcı|An|Betreff|À|Objet|Para|Asunto|Aan|Onderwerp|A|Oggetto|Cc)\s*:/i;

function isAttributionAt(lines: string[], i: number): number {
  const first = (lines[i] ?? "").trim();
  if (!first || first.startsWith(">")) return 0;
  for (let k = 1; k <= 3 && i + k <= lines.length; k++) {
    if (k > 1 && !ATTRIBUTION_START.test(first)) break;
    const candidate = lines.slice(i, i + k).map((l) => l.trim()).join(" ");
    if (candidate.length > 600) break;
    if (ATTRIBUTIONS.some((re) => re.test(candidate))) return k;
  }
  return 0;
}

function isOutlookHeaderAt(lines: string[], i: number): boolean {
  if (!HEADER_FROM.test((lines[i] ?? "").trim())) return false;
  let sent = false;
  let other = false;
  for (let k = i + 1; k < Math.min(lines.length, i + 7); k++) {
    const l = (lines[k] ?? "").trim();
    if (HEADER_SENT.test(l)) sent = true;
    else if (HEADER_TO_OR_SUBJECT.test(l)) other = true;
  }
  return sent && other;
}

const isBlank = (l: string | undefined) => (l ?? "").replace(/^[\s>]+/, "").trim() === "";

function quoteStartInText(lines: string[]): number {
  // For each line: is there a ">" line / an unquoted non-blank line anywhere after it? (one pass,
  // so many attribution-like lines cannot make this quadratic)
  const quotedAfter: boolean[] = new Array<boolean>(lines.length + 1).fill(false);
  const unquotedAfter: boolean[] = new Array<boolean>(lines.length + 1).fill(false);
  for (let k = lines.length - 1; k >= 0; k--) {
    const l = lines[k] ?? "";
    quotedAfter[k] = quotedAfter[k + 1]! || l.trimStart().startsWith(">");
    unquotedAfter[k] = unquotedAfter[k + 1]! || (l.trim() !== "" && !l.trimStart().startsWith(">"));
  }
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (isForwardMarkerLine(line)) {
      // Forwarded content is not history: step over the marker and its header block.
      let j = i + 1;
      while (j < lines.length && isBlank(lines[j])) j++;
      while (j < lines.length && !isBlank(lines[j])) j++;
      i = j - 1;
      continue;
    }
    const attribution = isAttributionAt(lines, i);
    if (attribution) {
      const inline = unquotedAfter[i + attribution]!;
      const quotedFollows = quotedAfter[i + attribution]!;
      if (!inline || !quotedFollows) return i;
      continue;
    }
    if (SEPARATORS.some((re) => re.test(line))) return i;
    if (/^_{20,}$/.test(line) && lines.slice(i + 1, i + 3).some((l) => HEADER_FROM.test(l.trim()))) return i;
    if (isOutlookHeaderAt(lines, i)) return i;
  }
  // A trailing block of ">" lines (with blank lines in between).
  let end = lines.length - 1;
  while (end >= 0 && (lines[end] ?? "").trim() === "") end--;
  if (end < 0 || !(lines[end] ?? "").trimStart().startsWith(">")) return -1;
  let start = end;
  while (start > 0) {
    const prev = (lines[start - 1] ?? "").trim();
    if (prev === "" || prev.startsWith(">")) start--;
    else break;
  }
  while (start < end && (lines[start] ?? "").trim() === "") start++;
  const firstQuoted = lines.slice(start, end + 1).find((l) => !isBlank(l));
  if (firstQuoted !== undefined && isForwardMarkerLine(firstQuoted)) return -1;
  return start;
}

function splitText(text: string): QuoteSplit {
  const normalized = text.replace(/\r\n?/g, "\n");
  const lines = normalized.split("\n");
  const cut = quoteStartInText(lines);
  if (cut <= 0) return { visible: normalized, quoted: "" };
  const visible = lines.slice(0, cut).join("\n").replace(/\s+$/, "");
  if (!visible.trim()) return { visible: normalized, quoted: "" };
  return { visible, quoted: lines.slice(cut).join("\n").replace(/\s+$/, "") };
}

const FORWARD_MARKER = /-{3,}\s*(?:Forwarded message|Forwarded Message|İletilen ileti|Weitergeleitete Nachricht)|Begin forwarded message\s*:/i;
const HTML_ATTRIBUTION = /(?:On\s[^<>]{1,300}?\swrote\s?:|tarihinde\s[^<>]{0,300}?yazdı\s?:|Am\s[^<>]{1,300}?\sschrieb[^<>]{0,200}?:|Le\s[^<>]{1,300}?\sa\sécrit\s?:)/i;

/** Start of the element (or text) holding an attribution line that ends before `pos`, if close. */
function attributionStartBefore(html: string, pos: number): number | null {
  const windowStart = Math.max(0, pos - 800);
  const window = html.slice(windowStart, pos);
  const re = new RegExp(HTML_ATTRIBUTION.source, "gi");
  let last: RegExpExecArray | null = null;
  let m: RegExpExecArray | null;
  while ((m = re.exec(window))) last = m;
  if (!last) return null;
  const textStart = windowStart + last.index;
  const before = html.slice(windowStart, textStart);
  const tag = before.search(/<(?:div|p)\b[^>]*>(?:\s|<[^>]*>)*$/i);
  return tag === -1 ? textStart : windowStart + tag;
}

function quoteStartInHtml(html: string): number {
  const candidates: number[] = [];
  const gmail = /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bgmail_quote(?:_container)?\b/gi;
  for (let m; (m = gmail.exec(html)); ) {
    if (FORWARD_MARKER.test(html.slice(m.index, m.index + 800))) continue;
    candidates.push(m.index);
    break;
  }
  const blockquote = /<blockquote\b[^>]*>/gi;
  for (let m; (m = blockquote.exec(html)); ) {
    if (FORWARD_MARKER.test(html.slice(Math.max(0, m.index - 600), m.index + 600))) continue;
    const attribution = attributionStartBefore(html, m.index);
    if (attribution !== null) {
      candidates.push(attribution);
      break;
    }
    if (/\btype\s*=\s*["']?cite/i.test(m[0])) {
      candidates.push(m.index);
      break;
    }
  }
  const simple = [
    /<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\b(?:moz-cite-prefix|yahoo_quoted|protonmail_quote|zmail_extra)\b/i,
    /<div\b[^>]*\bid\s*=\s*["']?appendonsend\b/i,
    /<div\b[^>]*\bstyle\s*=\s*["'][^"']*border-top\s*:\s*solid\s+#(?:E1E1E1|B5C4DF)/i,
  ];
  for (const re of simple) {
    const i = html.search(re);
    if (i !== -1) candidates.push(i);
  }
  const rply = html.search(/<div\b[^>]*\bid\s*=\s*["']?divRplyFwdMsg\b/i);
  if (rply !== -1) {
    const hr = html.slice(Math.max(0, rply - 300), rply).search(/<hr\b[^>]*>(?:\s|<[^>]*>)*$/i);
    candidates.push(hr === -1 ? rply : Math.max(0, rply - 300) + hr);
  }
  const original = /-{2,}\s*Original Message\s*-{2,}/i.exec(html);
  if (original) {
    const from = Math.max(0, original.index - 2000);
    const tag = html.slice(from, original.index).search(/<(?:div|p|span|font)\b[^>]*>(?:\s|<[^>]*>)*$/i);
    candidates.push(tag === -1 ? original.index : from + tag);
  }
  const cut = candidates.length ? Math.min(...candidates) : -1;
  return cut;
}

function splitHtml(html: string): QuoteSplit {
  const cut = quoteStartInHtml(html);
  const whole = sanitizeEmailHtml(html);
  if (cut <= 0) return { visible: whole, quoted: "" };
  const visible = sanitizeEmailHtml(html.slice(0, cut));
  if (!htmlToText(visible).trim() && !/<img\b/i.test(visible)) return { visible: whole, quoted: "" };
  return { visible, quoted: sanitizeEmailHtml(html.slice(cut)) };
}

export function looksLikeHtml(s: string): boolean {
  return /<(?:html|body|div|p|br|span|table|blockquote|a|b|i|font|img)(?=[\s/>])[^>]*>/i.test(s);
}

/**
 * Splits a message body into the new part and the quoted history. `format` defaults to a guess
 * (HTML when the input contains common HTML tags). For HTML, both halves are returned sanitised
 * (see sanitizeEmailHtml), so they are safe to render; for text, they are "\n"-separated lines.
 */
export function stripQuotedHistory(input: string, format?: "text" | "html"): QuoteSplit {
  if (!input) return { visible: "", quoted: "" };
  const html = format ? format === "html" : looksLikeHtml(input);
  return html ? splitHtml(input) : splitText(input);
}
