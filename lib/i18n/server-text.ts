import "server-only";
import catalogue from "@/messages/server.tr.json";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "@/lib/i18n/config";

/**
 * Gettext-style translation of the messages the server sends with errors
 * (domain errors, zod input messages, tRPC errors). The English sentence is the
 * msgid; messages/server.tr.json maps it to Turkish. A msgid may hold `{0}`, `{1}`…
 * where the English text has interpolated values: it then matches any message of
 * that shape, and the values are put into the Turkish text — translated
 * themselves when they are msgids too (notFound("The role") → "{0} was not found.").
 */
const CATALOGUES: Partial<Record<Locale, Record<string, string>>> = { tr: catalogue as Record<string, string> };

type Pattern = { re: RegExp; text: string; order: number[] };
const patternCache = new Map<Locale, Pattern[]>();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function patternsFor(locale: Locale, entries: Record<string, string>): Pattern[] {
  let patterns = patternCache.get(locale);
  if (!patterns) {
    patterns = Object.entries(entries)
      .filter(([id]) => /\{\d+\}/.test(id))
      // Most specific first: the msgid with the most fixed text wins.
      .sort(([a], [b]) => b.replace(/\{\d+\}/g, "").length - a.replace(/\{\d+\}/g, "").length)
      .map(([id, text]) => {
        const order: number[] = [];
        const source = id
          .split(/(\{\d+\})/)
          .map((part) => {
            const m = /^\{(\d+)\}$/.exec(part);
            if (!m) return escape(part);
            order.push(Number(m[1]));
            return "([\\s\\S]*?)";
          })
          .join("");
        return { re: new RegExp(`^${source}$`), text, order };
      });
    patternCache.set(locale, patterns);
  }
  return patterns;
}

function translate(locale: Locale, english: string, depth: number): string | null {
  const entries = CATALOGUES[locale];
  if (!entries) return null;
  const exact = entries[english];
  if (exact !== undefined) return exact;
  if (depth > 3) return null;
  for (const p of patternsFor(locale, entries)) {
    const m = p.re.exec(english);
    if (!m) continue;
    const values: string[] = [];
    p.order.forEach((n, i) => (values[n] = m[i + 1] ?? ""));
    return p.text.replace(/\{(\d+)\}/g, (_, n: string) => {
      const v = values[Number(n)] ?? "";
      return translate(locale, v, depth + 1) ?? v;
    });
  }
  return null;
}

/** The message in the locale's language when there is a translation, else the English. */
export function serverText(locale: string | null | undefined, english: string): string {
  if (!isLocale(locale) || locale === DEFAULT_LOCALE) return english;
  return translate(locale, english, 0) ?? english;
}

/** Whether the locale has a translation for this message (exact or by pattern). */
export function hasServerText(locale: Locale, english: string): boolean {
  return translate(locale, english, 0) !== null;
}

/** The caller's language: their profile's, else the desk's locale cookie, else English. */
export function requestLocale(user: { language: string } | null | undefined, headers: Headers | null | undefined): Locale {
  if (user && isLocale(user.language)) return user.language;
  const cookie = headers?.get("cookie") ?? "";
  for (const part of cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === LOCALE_COOKIE) {
      const value = decodeURIComponent(v.join("="));
      if (isLocale(value)) return value;
    }
  }
  return DEFAULT_LOCALE;
}
