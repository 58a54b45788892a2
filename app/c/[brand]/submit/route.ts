import { hotDb } from "@/lib/hot-db";
import { keptFormConfig } from "@/lib/forms/fields";
import { clientIp, encodeFormState, submissionFromFormData } from "@/lib/forms/form-data";
import { FORM_LIMITS, postContactForm } from "@/lib/forms/submit";
import { translator } from "@/lib/i18n/messages";
import { isLocale } from "@/lib/i18n/config";

// Five files of 20 MB plus the text fields.
const MAX_BODY = FORM_LIMITS.maxFiles * FORM_LIMITS.maxBytes + 1024 * 1024;

/**
 * The contact form as a plain HTML post, for browsers without JavaScript (and for
 * anything that posts a form): answers with a redirect to the thank-you state or back
 * to the form with its errors.
 */
export async function POST(req: Request, { params }: { params: Promise<{ brand: string }> }) {
  const { brand: slug } = await params;
  // For where to send the visitor back; the post itself is checked against the form as it is now.
  const brand = await keptFormConfig(hotDb(), slug);
  if (!brand) return new Response("This contact form does not exist.", { status: 404 });
  const url = new URL(req.url);
  const lang = url.searchParams.get("lang");
  const language = lang && isLocale(lang) ? lang : brand.defaultLanguage;
  const back = (state: Record<string, string>) => {
    const to = new URL(`/c/${brand.slug}`, url);
    to.searchParams.set("lang", language);
    for (const [k, v] of Object.entries(state)) to.searchParams.set(k, v);
    return new Response(null, { status: 303, headers: { location: to.pathname + to.search } });
  };
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY) {
    return back({ state: encodeFormState({ files: translator(language, "contactForm")("errors.tooManyFiles", { max: FORM_LIMITS.maxFiles }) }, {}) });
  }
  let fd: FormData;
  try {
    fd = await req.formData();
  } catch {
    return back({ state: encodeFormState({ form: translator(language, "contactForm")("errors.unreadable") }, {}) });
  }
  const ip = clientIp(req.headers);
  const posted = await postContactForm(hotDb(), slug, (now) => submissionFromFormData(fd, now, ip, language));
  if (!posted) return new Response("This contact form does not exist.", { status: 404 });
  const { result, built } = posted;
  return result.ok ? back({ done: String(result.number) }) : back({ state: encodeFormState(result.errors, built.values) });
}
