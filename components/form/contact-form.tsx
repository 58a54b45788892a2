"use client";
import { useTranslations } from "next-intl";
import { startTransition, useActionState, type FormEvent } from "react";
import { submitForm, type FormState } from "@/app/c/[brand]/actions";

type FieldDef = { key: string; label: string; kind: "TEXT" | "SELECT" | "CHECKBOX"; options: string[]; required: boolean };
const input = "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-inset focus:ring-[var(--brand)]";

export function ContactForm({ initial, slug, locale, color, fields, types, topics }: { initial: FormState; slug: string; locale: string; color: string; fields: FieldDef[]; types: { id: string; name: string }[]; topics: { id: string; name: string }[] }) {
  const t = useTranslations("contactForm");
  const [state, action, pending] = useActionState<FormState, FormData>(submitForm.bind(null, slug, locale), initial);
  if (state.status === "done") {
    return (
      <div role="status" className="space-y-2 py-4" data-testid="form-thanks">
        <p className="text-lg font-semibold">{t("thanksTitle")}</p>
        <p className="text-sm text-gray-700">{t("thanksBody", { number: state.number })}</p>
        <a href={`/c/${slug}?lang=${locale}`} className="text-sm underline">{t("another")}</a>
      </div>
    );
  }
  const errors = state.status === "error" ? state.errors : {};
  const values = state.status === "error" ? state.values : {};
  const err = (k: string) => errors[k] && <p className="mt-1 text-xs text-red-600" id={`${k}-error`} data-testid={`form-error-${k}`}>{errors[k]}</p>;
  const aria = (k: string) => (errors[k] ? { "aria-invalid": true, "aria-describedby": `${k}-error` } : {});
  // With JavaScript the server action answers in place; without it the browser posts to ./submit.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    startTransition(() => action(fd));
  };
  return (
    <form action={`/c/${slug}/submit?lang=${locale}`} method="post" onSubmit={onSubmit} className="mt-4 space-y-4" noValidate encType="multipart/form-data" data-testid="contact-form">
      {errors.form && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" data-testid="form-error">{errors.form}</p>}
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="block text-sm font-medium">{t("name")}<input name="name" required defaultValue={values.name} className={input} autoComplete="name" {...aria("name")} />{err("name")}</label>
        <label className="block text-sm font-medium">{t("email")}<input name="email" type="email" required defaultValue={values.email} className={input} autoComplete="email" {...aria("email")} />{err("email")}</label>
      </div>
      <label className="block text-sm font-medium">{t("subject")}<input name="subject" required defaultValue={values.subject} className={input} {...aria("subject")} />{err("subject")}</label>
      {(types.length > 0 || topics.length > 0) && (
        <div className="grid gap-4 sm:grid-cols-2">
          {types.length > 0 && (
            <label className="block text-sm font-medium">{t("type")}
              <select name="typeId" defaultValue={values.typeId ?? ""} className={input}><option value="">{t("choose")}</option>{types.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select>{err("typeId")}
            </label>
          )}
          {topics.length > 0 && (
            <label className="block text-sm font-medium">{t("topic")}
              <select name="topicId" defaultValue={values.topicId ?? ""} className={input}><option value="">{t("choose")}</option>{topics.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}</select>{err("topicId")}
            </label>
          )}
        </div>
      )}
      {fields.map((f) => {
        const name = `field_${f.key}`;
        const label = `${f.label}${f.required ? ` (${t("required")})` : ""}`;
        if (f.kind === "CHECKBOX") return <div key={f.key}><label className="flex items-center gap-2 text-sm"><input type="checkbox" name={name} defaultChecked={values[name] === "on"} {...aria(name)} />{label}</label>{err(name)}</div>;
        if (f.kind === "SELECT") return <label key={f.key} className="block text-sm font-medium">{label}<select name={name} defaultValue={values[name] ?? ""} className={input} {...aria(name)}><option value="">{t("choose")}</option>{f.options.map((o) => <option key={o} value={o}>{o}</option>)}</select>{err(name)}</label>;
        return <label key={f.key} className="block text-sm font-medium">{label}<input name={name} defaultValue={values[name]} className={input} {...aria(name)} />{err(name)}</label>;
      })}
      <label className="block text-sm font-medium">{t("message")}<textarea name="message" rows={6} required defaultValue={values.message} className={input} {...aria("message")} />{err("message")}</label>
      <label className="block text-sm font-medium">{t("attachments")}
        <input type="file" name="files" multiple className="mt-1 block w-full text-sm" accept="image/*,.pdf,.txt,.csv,.doc,.docx,.xls,.xlsx,.odt,.ods,.zip,.rtf" data-testid="form-files" {...aria("files")} />
        <span className="text-xs font-normal text-gray-500">{t("attachmentsHint")}</span>{err("files")}
      </label>
      {/* Honeypot: invisible to people, irresistible to bots. */}
      <div aria-hidden="true" className="absolute -left-[9999px] h-px w-px overflow-hidden">
        <label>{t("honeypot")}<input name="website" tabIndex={-1} autoComplete="off" defaultValue="" data-testid="honeypot" /></label>
      </div>
      <button type="submit" disabled={pending} className="rounded-md px-4 py-2 text-sm font-medium text-white disabled:opacity-60" style={{ background: color }} data-testid="form-submit">
        {t("send")}
      </button>
    </form>
  );
}
