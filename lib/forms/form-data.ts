import type { FormConfig } from "@/lib/forms/fields";
import type { SubmitInput } from "@/lib/forms/submit";
import { isLocale } from "@/lib/i18n/config";

const text = (fd: FormData, k: string) => {
  const v = fd.get(k);
  return typeof v === "string" ? v : "";
};

/** The posted form (server action or plain HTML post) as a submission, plus the typed values to show again on error. */
export function submissionFromFormData(fd: FormData, brand: FormConfig, ip: string | null, language: string) {
  const values = Object.fromEntries([...fd.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$") && k !== "website").map(([k, v]) => [k, v as string]));
  const input: SubmitInput = {
    name: text(fd, "name"),
    email: text(fd, "email"),
    subject: text(fd, "subject"),
    message: text(fd, "message"),
    typeId: text(fd, "typeId") || undefined,
    topicId: text(fd, "topicId") || undefined,
    fields: Object.fromEntries(brand.formFields.map((f) => [f.key, text(fd, `field_${f.key}`) || undefined])),
    // An empty file input still posts one nameless, empty part.
    files: fd.getAll("files").filter((f): f is File => f instanceof Blob && f.size > 0) as File[],
    honeypot: text(fd, "website"),
    ip,
    language: isLocale(language) ? language : "en",
  };
  return { input, values };
}

/**
 * The address the nearest proxy saw: the last X-Forwarded-For entry (earlier ones are
 * whatever the client claimed). Without a proxy, Next.js fills the header from the socket.
 */
export function clientIp(h: Headers): string | null {
  return h.get("x-forwarded-for")?.split(",").at(-1)?.trim() || h.get("x-real-ip") || null;
}

/** Errors and values carried back to the form page in the URL when the browser runs no JavaScript. */
export function encodeFormState(errors: Record<string, string>, values: Record<string, string>): string {
  const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => v.length <= 2000));
  return Buffer.from(JSON.stringify({ errors, values: kept })).toString("base64url");
}

export function decodeFormState(raw: string | undefined): { errors: Record<string, string>; values: Record<string, string> } | null {
  if (!raw || raw.length > 12_000) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
    if (!v || typeof v !== "object") return null;
    const strings = (o: unknown) => Object.fromEntries(Object.entries(o && typeof o === "object" ? o : {}).filter(([, x]) => typeof x === "string")) as Record<string, string>;
    return { errors: strings((v as { errors?: unknown }).errors), values: strings((v as { values?: unknown }).values) };
  } catch {
    return null;
  }
}
