import type { Metadata } from "next";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { NextIntlClientProvider } from "next-intl";
import { getTranslations } from "next-intl/server";
import { db } from "@/lib/db";
import { formConfig } from "@/lib/forms/fields";
import { hotDb } from "@/lib/hot-db";
import { pickFormLocale } from "@/lib/forms/locale";
import { decodeFormState } from "@/lib/forms/form-data";
import { searchFaq } from "@/lib/faq/service";
import { messagesFor } from "@/lib/i18n/messages";
import { ContactForm } from "@/components/form/contact-form";

export const dynamic = "force-dynamic";

// The metadata and the page share one read per request.
const formOf = cache((slug: string) => formConfig(hotDb(), slug));

type Props = { params: Promise<{ brand: string }>; searchParams: Promise<{ q?: string; lang?: string; done?: string; state?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const brand = await formOf((await params).brand);
  return { title: brand ? `${brand.name} — Contact` : "Contact" };
}

/** F1–F4: the hosted contact form with its FAQ. Server-rendered; works without JavaScript; embeddable. */
export default async function ContactPage({ params, searchParams }: Props) {
  const [{ brand: slug }, sp, h] = await Promise.all([params, searchParams, headers()]);
  const brand = await formOf(slug);
  if (!brand) notFound();
  const locale = pickFormLocale(sp.lang, h.get("accept-language"), brand.defaultLanguage);
  const t = await getTranslations({ locale, namespace: "contactForm" });
  const q = sp.q?.trim().slice(0, 100) || undefined;
  const faq = await searchFaq(db, brand.id, locale, q);
  // Set by the plain-HTML post (./submit) when the browser runs no JavaScript.
  const doneNumber = Number(sp.done);
  const posted = decodeFormState(sp.state);
  const initial = Number.isInteger(doneNumber) && doneNumber > 0 ? ({ status: "done", number: doneNumber } as const) : posted ? ({ status: "error", ...posted } as const) : ({ status: "idle" } as const);
  return (
    <div lang={locale} className="min-h-full bg-gray-50" style={{ ["--brand" as string]: brand.color }}>
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center gap-3 px-6 py-4">
          {brand.logoUrl ? (
            <img src={brand.logoUrl} alt="" className="h-8 w-auto" />
          ) : (
            <span className="flex h-8 w-8 items-center justify-center rounded-md text-sm font-bold text-white" style={{ background: brand.color }} aria-hidden>
              {brand.name.slice(0, 1)}
            </span>
          )}
          <h1 className="text-lg font-semibold">{t("title", { brand: brand.name })}</h1>
        </div>
      </header>
      <main className="mx-auto max-w-3xl space-y-8 px-6 py-8">
        <section aria-labelledby="faq-title">
          <h2 id="faq-title" className="mb-3 text-base font-semibold">{t("faqTitle")}</h2>
          <form method="get" role="search" className="mb-3 flex gap-2">
            {sp.lang && <input type="hidden" name="lang" value={sp.lang} />}
            <input name="q" defaultValue={q} aria-label={t("faqSearch")} placeholder={t("faqSearch")} className="w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-gray-300" data-testid="faq-search" />
            <button className="rounded-md px-3 py-2 text-sm text-white" style={{ background: brand.color }}>{t("faqSearch")}</button>
          </form>
          {faq.length ? (
            <div className="divide-y divide-gray-200 rounded-lg bg-white ring-1 ring-gray-200" data-testid="faq">
              {faq.map((a) => (
                <details key={a.id} className="group px-4 py-3">
                  <summary className="cursor-pointer text-sm font-medium">{a.title}</summary>
                  <div className="mt-2 text-sm whitespace-pre-line text-gray-700">{a.body}</div>
                </details>
              ))}
            </div>
          ) : (
            <p className="text-sm text-gray-500">{q ? t("faqEmpty") : null}</p>
          )}
        </section>
        <section aria-labelledby="form-title" className="rounded-lg bg-white p-6 ring-1 ring-gray-200">
          <h2 id="form-title" className="mb-1 text-base font-semibold">{t("intro")}</h2>
          <NextIntlClientProvider locale={locale} messages={{ contactForm: messagesFor(locale).contactForm }}>
            <ContactForm initial={initial} slug={brand.slug} locale={locale} color={brand.color} fields={brand.formFields} types={brand.types} topics={brand.topics} />
          </NextIntlClientProvider>
        </section>
      </main>
    </div>
  );
}
