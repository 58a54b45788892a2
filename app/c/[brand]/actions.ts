"use server";
import { headers } from "next/headers";
import { hotDb } from "@/lib/hot-db";
import { clientIp, submissionFromFormData } from "@/lib/forms/form-data";
import { postContactForm } from "@/lib/forms/submit";

export type FormState = { status: "idle" } | { status: "done"; number: number } | { status: "error"; errors: Record<string, string>; values: Record<string, string> };

/** The contact form's server action (with JavaScript; without it the form posts to ./submit). */
export async function submitForm(slug: string, language: string, _prev: FormState, fd: FormData): Promise<FormState> {
  const ip = clientIp(await headers());
  const posted = await postContactForm(hotDb(), slug, (brand) => submissionFromFormData(fd, brand, ip, language));
  if (!posted) return { status: "error", errors: { form: "This contact form does not exist." }, values: {} };
  const { result, built } = posted;
  return result.ok ? { status: "done", number: result.number } : { status: "error", errors: result.errors, values: built.values };
}
