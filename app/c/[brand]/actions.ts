"use server";
import { headers } from "next/headers";
import { db } from "@/lib/db";
import { hotDb } from "@/lib/hot-db";
import { formConfig } from "@/lib/forms/fields";
import { clientIp, submissionFromFormData } from "@/lib/forms/form-data";
import { submitContactForm } from "@/lib/forms/submit";

export type FormState = { status: "idle" } | { status: "done"; number: number } | { status: "error"; errors: Record<string, string>; values: Record<string, string> };

/** The contact form's server action (with JavaScript; without it the form posts to ./submit). */
export async function submitForm(slug: string, language: string, _prev: FormState, fd: FormData): Promise<FormState> {
  const brand = await formConfig(db, slug);
  if (!brand) return { status: "error", errors: { form: "This contact form does not exist." }, values: {} };
  const { input, values } = submissionFromFormData(fd, brand, clientIp(await headers()), language);
  const result = await submitContactForm(hotDb(), brand, input);
  return result.ok ? { status: "done", number: result.number } : { status: "error", errors: result.errors, values };
}
