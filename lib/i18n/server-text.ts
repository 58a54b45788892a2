import "server-only";
import { z } from "zod";
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

type LocaleError = (issue: never) => string | { message: string } | undefined | null;
const ZOD_EN = z.locales.en().localeError as LocaleError;
const ZOD_LOCALES: Partial<Record<Locale, LocaleError>> = { tr: z.locales.tr().localeError as LocaleError };
/** A value of each type zod names in "received …", so its English default can be rebuilt (issues drop the input). */
const SAMPLES: Record<string, unknown> = { string: "", number: 0, boolean: false, bigint: BigInt(0), null: null, undefined: undefined, array: [], object: {}, date: new Date(0), NaN: NaN };

function zodText(localeError: LocaleError, issue: object): string | undefined {
  try {
    const r = localeError(issue as never);
    return typeof r === "string" ? r : (r?.message ?? undefined);
  } catch {
    return undefined;
  }
}

/**
 * A zod issue's message: our own (a msgid) through the catalogue, or — when it is
 * zod's built-in English text ("Too small: expected string to have >=1 characters")
 * — zod's own text for the locale.
 */
export function zodIssueText(locale: string | null | undefined, issue: { message: string; code?: string }): string {
  if (!isLocale(locale) || locale === DEFAULT_LOCALE) return issue.message;
  const own = translate(locale, issue.message, 0);
  if (own !== null) return own;
  const localeError = ZOD_LOCALES[locale];
  if (!localeError) return issue.message;
  const received = issue.code === "invalid_type" ? / received (\w+)$/.exec(issue.message)?.[1] : undefined;
  const raw = received !== undefined && received in SAMPLES ? { ...issue, input: SAMPLES[received] } : issue;
  if (zodText(ZOD_EN, raw) !== issue.message) return issue.message; // a message of ours with no translation yet
  return zodText(localeError, raw) ?? issue.message;
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
