import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from "@/lib/i18n/config";

/** The visitor's language: explicit choice, else their browser's, else the brand's default. */
export function pickFormLocale(explicit: string | undefined, acceptLanguage: string | null, brandDefault: string): Locale {
  if (isLocale(explicit)) return explicit;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]!.trim().slice(0, 2).toLowerCase();
    if ((LOCALES as readonly string[]).includes(tag)) return tag as Locale;
  }
  return isLocale(brandDefault) ? brandDefault : DEFAULT_LOCALE;
}
