/**
 * Recognising a manual forward (an agent or customer pressing "Forward" in their mail client)
 * from the forwarded-header block the client writes into the body.
 *
 * - Gmail:        "---------- Forwarded message ---------" then From:/Date:/Subject:/To:
 * - Thunderbird:  "-------- Forwarded Message --------" then Subject:/Date:/From:/To:
 * - Apple Mail:   "Begin forwarded message:" then From:/Subject:/Date:/To: (often "> "-prefixed)
 * - Outlook:      "-----Original Message-----" or a "____" rule, or just a block of
 *                 From:/Sent:/To:/Subject: lines. Outlook writes the same block for replies, so
 *                 this style only counts when the subject starts with a forward prefix (FW:, Fwd:…).
 * Localised labels (tr, de, fr, es, pt, nl, it) are recognised too. A block whose From line has
 * no e-mail address is not a recognised forward.
 */
import type { EmailAddress, ForwardStyle, ManualForward } from "./types";

const GMAIL_MARKER = /^-{3,}\s*(?:Forwarded message|İletilen ileti|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Mensagem encaminhada|Messaggio inoltrato|Doorgestuurd bericht)\s*-{3,}$/i;
const THUNDERBIRD_MARKER = /^-{3,}\s*(?:Forwarded Message|Weitergeleitete Nachricht|Message transféré|İletilmiş İleti)\s*-{3,}$/;
const APPLE_MARKER = /^(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Inicio del mensaje reenviado|Início da mensagem reencaminhada|Inizio messaggio inoltrato|Begin doorgestuurd bericht|İletilen ileti başlangıcı)\s*:$/i;
const OUTLOOK_MARKER = /^(?:-{2,}\s*(?:Original Message|Özgün İleti|Orijinal İleti|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht)\s*-{2,}|_{20,})$/i;

const FORWARD_SUBJECT = /^\s*(?:\[[^\]]*\]\s*)?(?:fwd?|fw|forward|tr|wg|rv|enc|doorst|ilt|İlt)\s*:/i;

type Key = "from" | "date" | "subject" | "to" | "cc";
const LABELS: Record<string, Key> = {};
const addLabels = (key: Key, labels: string[]) => labels.forEach((l) => (LABELS[l.toLowerCase()] = key));
addLabels("from", ["From", "Kimden", "Gönderen", "Von", "De", "Van", "Da", "Remitente"]);
addLabels("date", ["Date", "Sent", "Tarih", "Gönderildi", "Gönderilme Tarihi", "Datum", "Gesendet", "Envoyé", "Enviado", "Fecha", "Verzonden", "Data", "Inviato"]);
addLabels("subject", ["Subject", "Konu", "Betreff", "Objet", "Asunto", "Assunto", "Onderwerp", "Oggetto"]);
addLabels("to", ["To", "Kime", "Alıcı", "An", "À", "Para", "Aan", "A"]);
addLabels("cc", ["Cc", "Bilgi", "Kopie"]);

const FIELD_LINE = /^\**([^\s:*][^:*]{0,30}?)\**\s*:\**\s*(.*)$/;

/** True for a line that opens a forwarded message in Gmail, Thunderbird or Apple Mail ("> " prefixes ignored). */
export function isForwardMarkerLine(line: string): boolean {
  const l = stripQuotePrefix(line);
  return THUNDERBIRD_MARKER.test(l) || GMAIL_MARKER.test(l) || APPLE_MARKER.test(l);
}

function stripQuotePrefix(line: string): string {
  return line.replace(/^(?:\s*>)+\s?/, "").trim();
}

function readFields(lines: string[], from: number): Partial<Record<Key, string>> | null {
  const fields: Partial<Record<Key, string>> = {};
  let seen = 0;
  let lastKey: Key | null = null;
  for (let i = from; i < Math.min(lines.length, from + 16); i++) {
    const line = stripQuotePrefix(lines[i] ?? "");
    if (!line) {
      if (seen > 0) break;
      continue;
    }
    const m = FIELD_LINE.exec(line);
    const key = m ? LABELS[m[1]!.trim().toLowerCase()] : undefined;
    if (m && key) {
      if (fields[key] === undefined) fields[key] = m[2]!.trim();
      lastKey = key;
      seen++;
    } else if (seen > 0 && lastKey === "from" && !/@/.test(fields.from ?? "") && /@/.test(line)) {
      // A From value wrapped onto the next line.
      fields.from = `${fields.from ?? ""} ${line}`.trim();
    } else if (seen > 0) {
      break;
    }
  }
  return seen >= 2 && fields.from ? fields : null;
}

const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/;

/** Reads an address from a printed From value: `Name <a@b>`, `"Doe, J" <a@b>`, `Name [mailto:a@b]`, `a@b`. */
export function parsePrintedAddress(value: string): EmailAddress | null {
  const m = EMAIL.exec(value);
  if (!m) return null;
  const address = m[0].toLowerCase();
  const name = value
    .replace(/<mailto:[^>]*>/gi, "")
    .replace(/\[mailto:[^\]]*\]/gi, "")
    .replace(new RegExp(EMAIL.source, "g"), "")
    .replace(/[<>()[\]*]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^["']+|["']+$/g, "")
    .replace(/\\"/g, '"')
    .trim();
  return { address, name: name || null };
}

function build(style: ForwardStyle, f: Partial<Record<Key, string>>): ManualForward | null {
  const originalFrom = f.from ? parsePrintedAddress(f.from) : null;
  if (!originalFrom) return null;
  return {
    kind: "manual",
    style,
    originalFrom,
    originalSubject: f.subject ?? null,
    originalDate: f.date ?? null,
  };
}

/** Finds the first recognisable forwarded-message block in a plain-text body. */
export function detectManualForward(text: string, subject: string): ManualForward | null {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const forwardSubject = FORWARD_SUBJECT.test(subject);
  for (let i = 0; i < lines.length; i++) {
    const line = stripQuotePrefix(lines[i] ?? "");
    if (!line) continue;
    let style: ForwardStyle | null = null;
    let fieldsFrom = i + 1;
    if (THUNDERBIRD_MARKER.test(line)) style = "thunderbird";
    else if (GMAIL_MARKER.test(line)) style = "gmail";
    else if (APPLE_MARKER.test(line)) style = "apple";
    else if (forwardSubject && OUTLOOK_MARKER.test(line)) style = "outlook";
    else if (forwardSubject && /^\**(?:From|Kimden|Von|De|Van|Da)\**\s*:/i.test(line)) {
      const probe = readFields(lines, i);
      if (probe && probe.date && (probe.to || probe.subject)) {
        style = "outlook";
        fieldsFrom = i;
      }
    }
    if (!style) continue;
    const fields = readFields(lines, fieldsFrom);
    const fwd = fields ? build(style, fields) : null;
    if (fwd) return fwd;
  }
  return null;
}
