import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getNow, getTimeZone } from "next-intl/server";

/** Every desk string for the client components of the desk and sign-in pages (the root layout ships only common ones). */
export async function DeskMessages({ children }: { children: ReactNode }) {
  const [locale, messages, now, timeZone] = await Promise.all([getLocale(), getMessages(), getNow(), getTimeZone()]);
  return (
    <NextIntlClientProvider locale={locale} messages={messages} now={now} timeZone={timeZone}>
      {children}
    </NextIntlClientProvider>
  );
}
