"use server";
import { headers } from "next/headers";
import { db } from "@/lib/db";
import { formConfig } from "@/lib/forms/fields";
import { submitContactForm } from "@/lib/forms/submit";
import { isLocale } from "@/lib/i18n/config";

export type FormState = { status: "idle" } | { status: "done"; number: number } | { status: "error"; errors: Record<string, string>; values: Record<string, string> };

const text = (fd: FormData, k: string) => {
  const v = fd.get(k);
  return typeof v === "string" ? v : "";
};

/** The contact form's server action: works with and without JavaScript. */
export async function submitForm(slug: string, language: string, _prev: FormState, fd: FormData): Promise<FormState> {
  const brand = await formConfig(db, slug);
  if (!brand) return { status: "error", errors: { form: "This contact form does not exist." }, values: {} };
  const h = await headers();
  const values = Object.fromEntries([...fd.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$")).map(([k, v]) => [k, v as string]));
  const result = await submitContactForm(db, brand, {
    name: text(fd, "name"),
    email: text(fd, "email"),
    subject: text(fd, "subject"),
    message: text(fd, "message"),
    typeId: text(fd, "typeId") || undefined,
    topicId: text(fd, "topicId") || undefined,
    fields: Object.fromEntries(brand.formFields.map((f) => [f.key, text(fd, `field_${f.key}`) || undefined])),
    files: fd.getAll("files").filter((f): f is File => f instanceof File && f.size > 0),
    honeypot: text(fd, "website"),
    ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? h.get("x-real-ip") ?? null,
    language: isLocale(language) ? language : "en",
  });
  return result.ok ? { status: "done", number: result.number } : { status: "error", errors: result.errors, values };
}
