import type { Metadata } from "next";
import type { ReactNode } from "react";
import { GeistSans } from "geist/font/sans";
import { GeistMono } from "geist/font/mono";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getNow, getTimeZone } from "next-intl/server";
import { Toaster } from "sonner";
import { TrpcProviders } from "@/lib/trpc/react";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Relaydesk", template: "%s · Relaydesk" } };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const messages = await getMessages();
  // A shared "now" keeps relative times identical on server and client (no hydration mismatch).
  const [now, timeZone] = await Promise.all([getNow(), getTimeZone()]);
  return (
    <html lang={locale} className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="font-sans">
        {/* Public pages (contact form, chat widget) ship only these; the desk and sign-in
            layouts add every desk string for their own pages. */}
        <NextIntlClientProvider locale={locale} messages={{ common: messages.common, errors: messages.errors }} now={now} timeZone={timeZone}>
          <TrpcProviders>{children}</TrpcProviders>
        </NextIntlClientProvider>
        <Toaster position="bottom-right" richColors />
      </body>
    </html>
  );
}
