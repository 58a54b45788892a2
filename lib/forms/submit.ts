import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/messages";
import { isLocale } from "@/lib/i18n/config";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate, templateDataSql, type TemplateData } from "@/lib/mail/templates/render";
import { countHit, retryAfter } from "@/lib/ratelimit/service";
import { getStorage } from "@/lib/storage";
import { CUSTOMER } from "@/lib/tickets/actor";
import { createTicket, nextTicketNumberSql } from "@/lib/tickets/create";
import { brandChannel } from "@/lib/realtime/channels";
import { keptFormConfig, type FormConfig } from "@/lib/forms/fields";
import { announce } from "@/lib/forms/announce";
import { closedNoteFor, hoursFromJson } from "@/lib/business-hours/closed-note";
import { nextOpening } from "@/lib/sla/business-hours";
import type { BusinessHours } from "@/lib/sla/schedule-schema";

export const FORM_LIMITS = { maxFiles: 5, maxBytes: 20 * 1024 * 1024, perIp: 10, perEmail: 5, windowSeconds: 600 };

// Attachments customers may send: documents, images, archives — nothing executable.
const ALLOWED_TYPES = /^(image\/(png|jpeg|gif|webp|heic)|application\/(pdf|zip|x-zip-compressed|msword|vnd\.openxmlformats-officedocument\.[\w.]+|vnd\.ms-excel|vnd\.oasis\.opendocument\.[\w.]+|rtf)|text\/(plain|csv))$/;
const BLOCKED_EXT = /\.(exe|bat|cmd|com|scr|js|jar|msi|vbs|ps1|sh|app|dll)$/i;

export type SubmitInput = {
  name: string;
  email: string;
  subject: string;
  message: string;
  typeId?: string;
  topicId?: string;
  fields: Record<string, string | undefined>;
  files: File[];
  honeypot: string;
  ip: string | null;
  language: string;
};

/** The form's fields, types, topics or brand changed after the configuration checked against was read. */
export class FormChanged extends Error {
  constructor() {
    super("the contact form changed");
  }
}

class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("rate limited");
  }
}

type Translate = ReturnType<typeof translator<"contactForm">>;

// The fields' schema with its messages in each language, built once per language.
const schemas = new Map<string, ReturnType<typeof buildSchema>>();
const buildSchema = (t: Translate) =>
  z.object({
    name: z.string().trim().min(1, t("errors.name")).max(200),
    email: z.email(t("errors.email")).max(320),
    subject: z.string().trim().min(1, t("errors.subject")).max(300, t("errors.tooLong")),
    message: z.string().trim().min(1, t("errors.message")).max(20_000, t("errors.tooLong")),
  });
function schemaFor(language: string, t: Translate) {
  if (!isLocale(language)) return buildSchema(t);
  let schema = schemas.get(language);
  if (!schema) schemas.set(language, (schema = buildSchema(t)));
  return schema;
}

// While a brand is closed, its confirmations say the same "back on …" sentence until it
// opens: kept per hours (the same object for the same hours, see hoursFromJson) and language.
const closedNotes = new WeakMap<BusinessHours, Map<string, { from: number; until: number; note: string }>>();
function hoursNote(hours: BusinessHours | null, language: string, now = new Date()): string {
  if (!hours) return "";
  const t = now.getTime();
  const kept = closedNotes.get(hours)?.get(language);
  if (kept && kept.from <= t && t < kept.until) return kept.note;
  const note = closedNoteFor(hours, language, now);
  if (note) {
    let until = t + 60_000; // no opening ahead: the sentence says so; looked at again in a minute
    try {
      until = nextOpening(hours, now)?.getTime() ?? until;
    } catch {
      until = t;
    }
    let byLanguage = closedNotes.get(hours);
    if (!byLanguage) closedNotes.set(hours, (byLanguage = new Map()));
    byLanguage.set(language, { from: t, until, note });
  }
  return note;
}

export type SubmitResult = { ok: true; number: number } | { ok: false; errors: Record<string, string> };

/**
 * F1–F3: a contact-form submission becomes a ticket (channel FORM) with a confirmation
 * email carrying its number. Every check runs before anything is stored; the ticket,
 * its message, attachments and email are one transaction, and stored files are removed
 * again if it fails — nothing is ever half-saved.
 */
export async function submitContactForm(db: Db, brand: FormConfig, input: SubmitInput): Promise<SubmitResult> {
  // Messages are looked up only when there is something to say (most posts have nothing).
  let translate: Translate | undefined;
  const t = ((...a: Parameters<Translate>) => (translate ??= translator(input.language, "contactForm"))(...a)) as Translate;
  if (input.honeypot.trim()) return { ok: false, errors: { form: t("errors.automated") } };

  const base = schemaFor(input.language, t).safeParse(input);
  const errors: Record<string, string> = {};
  if (!base.success) for (const i of base.error.issues) errors[String(i.path[0])] ??= i.message;
  if (input.typeId && !brand.types.some((x) => x.id === input.typeId)) errors.typeId = t("errors.choice");
  if (input.topicId && !brand.topics.some((x) => x.id === input.topicId)) errors.topicId = t("errors.choice");
  const fields: Record<string, string | boolean> = {};
  for (const f of brand.formFields) {
    const v = input.fields[f.key]?.trim() ?? "";
    if (f.kind === "CHECKBOX") {
      fields[f.key] = v === "on" || v === "true";
      if (f.required && !fields[f.key]) errors[`field_${f.key}`] = t("errors.required");
    } else {
      if (f.required && !v) errors[`field_${f.key}`] = t("errors.required");
      else if (f.kind === "SELECT" && v && !f.options.includes(v)) errors[`field_${f.key}`] = t("errors.choice");
      else if (v.length > 2000) errors[`field_${f.key}`] = t("errors.tooLong");
      else if (v) fields[f.key] = v;
    }
  }
  const files = input.files.filter((f) => f.size > 0 || f.name);
  if (files.length > FORM_LIMITS.maxFiles) errors.files = t("errors.tooManyFiles", { max: FORM_LIMITS.maxFiles });
  for (const f of files) {
    if (f.size > FORM_LIMITS.maxBytes) errors.files = t("errors.fileTooBig", { name: f.name });
    else if (BLOCKED_EXT.test(f.name) || !ALLOWED_TYPES.test(f.type)) errors.files = t("errors.fileType", { name: f.name });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const data = base.data!;

  // Rate limits last: a mistyped field should not use up the visitor's attempts. Both
  // counters are taken by the submission's own transaction (its first statement), so an
  // accepted submission costs one commit; a visitor already over a limit stores no files.
  const email = data.email.toLowerCase();
  const limits = [
    { key: `form:ip:${input.ip ?? "unknown"}`, limit: FORM_LIMITS.perIp },
    { key: `form:email:${email}`, limit: FORM_LIMITS.perEmail },
  ];
  const limited = (retryAfterSeconds: number): SubmitResult => ({ ok: false, errors: { form: t("errors.rateLimited", { minutes: Math.ceil(retryAfterSeconds / 60) }) } });
  if (files.length) {
    const used = await db.$queryRaw<{ key: string; count: number; resetAt: Date }[]>`SELECT key, count, "resetAt" FROM "RateLimitBucket" WHERE key = ANY(${limits.map((l) => l.key)}::text[]) AND "resetAt" > now()`;
    for (const l of limits) {
      const u = used.find((x) => x.key === l.key);
      if (u && u.count >= l.limit) return limited(retryAfter(u.resetAt));
    }
  }

  const stored: { key: string; name: string; type: string; size: number; sha256: string }[] = [];
  try {
    for (const f of files) {
      const s = await getStorage().put(Buffer.from(await f.arrayBuffer()), f.name);
      stored.push({ key: s.key, name: f.name.slice(0, 255), type: f.type, size: s.size, sha256: s.sha256 });
    }
    const created = await db.$transaction(async (tx) => {
      const [ip, perEmail] = limits;
      // The ticket's number is taken with the counters, so the confirmation quoting it is
      // rendered before the ticket is written: the statements after that insert (which
      // holds the report counters' rows until the commit) are as few as can be.
      // The brand's business hours (for the confirmation's closed note) and what its
      // template reads come along, as they are now.
      const [hits] = await tx.$queryRaw<{ formVersion: string; ipCount: number; ipReset: Date; emailCount: number; emailReset: Date; number: number; hours: string | null; template: TemplateData }[]>`
        WITH v AS (SELECT version::text AS "formVersion" FROM "FormConfigVersion" WHERE id = 1), a AS (${countHit(ip!.key, FORM_LIMITS.windowSeconds)}), b AS (${countHit(perEmail!.key, FORM_LIMITS.windowSeconds)})
        SELECT v."formVersion", a.count AS "ipCount", a."resetAt" AS "ipReset", b.count AS "emailCount", b."resetAt" AS "emailReset",
               (SELECT json_build_object('timezone', bh.timezone, 'schedule', bh.schedule, 'holidays', bh.holidays)::text FROM "Brand" x JOIN "BusinessHours" bh ON bh.id = x."businessHoursId" WHERE x.id = ${brand.id}) AS hours,
               ${templateDataSql(Prisma.sql`${brand.id}`, ["form_confirmation"])} AS template,
               CASE WHEN a.count <= ${ip!.limit} AND b.count <= ${perEmail!.limit} THEN ${nextTicketNumberSql} END AS number -- a refused post uses up no number
        FROM v, a, b`;
      // Checked against a form that has changed since: nothing is kept (the caller checks again).
      if (hits!.formVersion !== brand.version) throw new FormChanged();
      // Over a limit: nothing of this submission is kept (the counters stay over the limit until they reset).
      if (hits!.ipCount > ip!.limit) throw new RateLimited(retryAfter(hits!.ipReset));
      if (hits!.emailCount > perEmail!.limit) throw new RateLimited(retryAfter(hits!.emailReset));
      const atts: { id: string }[] = [];
      for (const s of stored) atts.push(await tx.attachment.create({ data: { name: s.name, contentType: s.type, size: s.size, sha256: s.sha256, storageKey: s.key }, select: { id: true } }));
      const html = data.message.split(/\n{2,}/).map((p) => `<p>${p.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!).replace(/\n/g, "<br>")}</p>`).join("");
      const { subject, html: mailHtml, text: mailText } = await renderTemplate(tx, {
        key: "form_confirmation",
        language: input.language,
        brandId: brand.id,
        data: hits!.template,
        vars: { "ticket.number": hits!.number, "ticket.subject": data.subject, "customer.name": data.name, "customer.email": email, "brand.name": brand.name, "message.excerpt": data.message.slice(0, 500), "hours.note": hoursNote(hoursFromJson(hits!.hours), input.language) },
      });
      // The confirmation is recorded on the ticket with its Message-ID, so the customer's reply threads back in.
      const emailMessageId = `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}`;
      const ticket = await createTicket(tx, {
        brandId: brand.id,
        channel: "FORM",
        subject: data.subject,
        customer: { email, name: data.name, language: input.language },
        message: { kind: "CUSTOMER", html, text: data.message, fromAddress: email, fromName: data.name, attachmentIds: atts.map((a) => a.id) },
        followUp: { kind: "AUTO_REPLY", html: mailHtml, text: mailText, to: [email], emailMessageId, deliveryStatus: "QUEUED" },
        number: hits!.number,
        actor: CUSTOMER,
        typeId: input.typeId || null,
        topicId: input.topicId || null,
        language: input.language,
        ...(Object.keys(fields).length ? { fields } : {}),
      });
      await enqueueEmail(tx, { to: [email], subject, html: mailHtml, text: mailText, purpose: "FORM_CONFIRMATION", ticketId: ticket.id, messageId: ticket.followUpId!, emailMessageId, headers: { "Auto-Submitted": "auto-replied" } });
      return ticket;
    });
    // After the commit, without keeping the customer waiting (never throws; desks catch up on reconnect).
    announce({ channel: brandChannel(brand.id), event: "ticket.created", data: { id: created.id, number: created.number, brandId: brand.id, fields: [] } });
    return { ok: true, number: created.number };
  } catch (e) {
    await Promise.all(stored.map((s) => getStorage().delete(s.key).catch(() => {})));
    if (e instanceof RateLimited) return limited(e.retryAfterSeconds);
    throw e;
  }
}

/**
 * A post of the brand's contact form (built from the form by `build`), checked against
 * the form as this process keeps it, and again against the form as it is now when it
 * changed meanwhile — the submission's first statement reads its version — or when the
 * post was refused (a field may have been removed or made optional since). Null when
 * the form does not exist.
 */
export async function postContactForm<T extends { input: SubmitInput }>(db: Db, slug: string, build: (brand: FormConfig) => T) {
  for (let attempt = 0; ; attempt++) {
    const fresh = attempt > 0;
    const brand = await keptFormConfig(db, slug, fresh);
    if (!brand) return null;
    const built = build(brand);
    try {
      const result = await submitContactForm(db, brand, built.input);
      if (result.ok || fresh) return { brand, built, result };
    } catch (e) {
      if (!(e instanceof FormChanged) || attempt === 2) throw e;
    }
  }
}
