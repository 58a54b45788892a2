import en from "@/messages/en.json";
import tr from "@/messages/tr.json";
import { createTranslator } from "use-intl/core";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/lib/i18n/config";

export type Messages = typeof en;
const ALL: Record<Locale, Messages> = { en, tr };

export function messagesFor(locale: string): Messages {
  return ALL[isLocale(locale) ? locale : DEFAULT_LOCALE];
}

/** Translator usable outside React (emails, worker jobs). */
export function translator<N extends keyof Messages>(locale: string, namespace: N) {
  const l = isLocale(locale) ? locale : DEFAULT_LOCALE;
  return createTranslator({ locale: l, messages: ALL[l], namespace });
}
