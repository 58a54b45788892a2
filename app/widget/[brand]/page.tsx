import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { NextIntlClientProvider } from "next-intl";
import { db } from "@/lib/db";
import { pickFormLocale } from "@/lib/forms/locale";
import { messagesFor } from "@/lib/i18n/messages";
import { realtimeClientConfig } from "@/lib/realtime/authorize";
import { WidgetApp } from "@/components/widget/widget-app";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ brand: string }>; searchParams: Promise<{ lang?: string }> };

const findBrand = (slug: string) =>
  db.brand.findUnique({ where: { slug }, select: { slug: true, name: true, color: true, logoUrl: true, defaultLanguage: true } });

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const brand = await findBrand((await params).brand);
  return { title: { absolute: brand ? `${brand.name} — Chat` : "Chat" }, robots: { index: false, follow: false } };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, interactiveWidget: "resizes-content" };

/** A valid #rrggbb colour, or the desk's default accent. */
function accent(color: string) {
  return /^#[0-9a-f]{6}$/i.test(color) ? color : "#4f46e5";
}

/** Dark text on light brand colours, white on dark ones (the header and buttons stay readable). */
function onAccent(color: string) {
  const n = parseInt(color.slice(1), 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255];
  return (r * 299 + g * 587 + b * 114) / 1000 > 160 ? "#111827" : "#ffffff";
}

/**
 * The live-chat panel that public/widget.js frames on customers' sites (also usable
 * on its own as a link). No desk session and no desk chrome: only the chat.
 */
export default async function WidgetPage({ params, searchParams }: Props) {
  const [{ brand: slug }, sp, h] = await Promise.all([params, searchParams, headers()]);
  const brand = await findBrand(slug);
  if (!brand) notFound();
  const locale = pickFormLocale(sp.lang, h.get("accept-language"), brand.defaultLanguage);
  const color = accent(brand.color);
  return (
    <div lang={locale} className="h-dvh overflow-hidden bg-white" style={{ ["--brand" as string]: color, ["--brand-fg" as string]: onAccent(color) }}>
      <NextIntlClientProvider locale={locale} messages={{ widget: messagesFor(locale).widget }}>
        <WidgetApp
          slug={brand.slug}
          locale={locale}
          brand={{ name: brand.name, color, logoUrl: brand.logoUrl }}
          realtime={realtimeClientConfig()}
        />
      </NextIntlClientProvider>
    </div>
  );
}
