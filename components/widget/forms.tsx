"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { Loader2 } from "lucide-react";
import { EMAIL_RE, errorText, fieldErrorsOf, MAX_MESSAGE, type Translate } from "@/components/widget/lib";

const inputClass =
  "mt-1 block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-gray-900 ring-1 ring-inset ring-gray-300 placeholder:text-gray-400 focus:ring-2 focus:ring-inset focus:ring-[var(--brand)] focus:outline-none aria-[invalid=true]:ring-red-400";

export type ContactValues = { name: string; email: string; message: string };

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-gray-700">{label}</label>
      {children}
      {error && <p id={`${id}-error`} className="mt-1 text-xs text-red-600">{error}</p>}
    </div>
  );
}

export function ErrorNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" data-testid="chat-error">
      {message}
    </p>
  );
}

export function SubmitButton({ busy, disabled, children, testId }: { busy: boolean; disabled?: boolean; children: ReactNode; testId: string }) {
  return (
    <button
      type="submit"
      disabled={busy || disabled}
      aria-busy={busy || undefined}
      className="flex w-full items-center justify-center gap-2 rounded-lg bg-[var(--brand)] px-4 py-2.5 text-sm font-semibold text-[var(--brand-fg)] shadow-sm transition-opacity hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--brand)] disabled:opacity-60"
      data-testid={testId}
    >
      {busy && <Loader2 className="h-4 w-4 animate-spin" aria-hidden />}
      {children}
    </button>
  );
}

type Props = {
  variant: "prechat" | "offline";
  initial: { name: string; email: string };
  nameRequired: boolean;
  emailRequired: boolean;
  /** Throws the server's error, which is shown here; the values stay as typed. */
  onSubmit: (values: ContactValues) => Promise<void>;
};

/** The pre-chat form (first message starts the chat) and, with nobody online, the offline form (makes a ticket). */
export function ContactForm({ variant, initial, nameRequired, emailRequired, onSubmit }: Props) {
  const t = useTranslations("widget") as Translate;
  const [values, setValues] = useState<ContactValues>({ ...initial, message: "" });
  const [errors, setErrors] = useState<Partial<Record<keyof ContactValues, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const offline = variant === "offline";
  const needName = offline || nameRequired;
  const needEmail = offline || emailRequired;
  const id = (k: string) => `${variant}-${k}`;

  const set = (k: keyof ContactValues) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [k]: e.target.value }));
    if (errors[k]) setErrors((x) => ({ ...x, [k]: undefined }));
  };

  const validate = () => {
    const next: typeof errors = {};
    if (needName && !values.name.trim()) next.name = t("errors.name");
    if ((needEmail || values.email.trim()) && !EMAIL_RE.test(values.email.trim())) next.email = t("errors.email");
    if (!values.message.trim()) next.message = t("errors.message");
    else if (values.message.length > MAX_MESSAGE) next.message = t("errors.tooLong", { max: MAX_MESSAGE });
    return next;
  };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const problems = validate();
    setErrors(problems);
    const first = (["name", "email", "message"] as const).find((k) => problems[k]);
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ name: values.name.trim(), email: values.email.trim(), message: values.message.trim() });
    } catch (err) {
      const fields = fieldErrorsOf(err);
      const known = { name: fields.name, email: fields.email, message: fields.message ?? fields.body };
      if (known.name || known.email || known.message) setErrors(known);
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  const onMessageKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      e.currentTarget.form?.requestSubmit();
    }
  };

  const aria = (k: keyof ContactValues) => (errors[k] ? { "aria-invalid": true, "aria-describedby": `${id(k)}-error` } : {});
  const label = (key: string, required: boolean) => (required ? t(key) : `${t(key)} (${t("optional")})`);

  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid={offline ? "chat-offline-form" : "chat-prechat-form"}>
      <Field id={id("name")} label={label("name", needName)} error={errors.name}>
        <input id={id("name")} name="name" value={values.name} onChange={set("name")} autoComplete="name" maxLength={120} required={needName} className={inputClass} data-testid="chat-name" data-autofocus {...aria("name")} />
      </Field>
      <Field id={id("email")} label={label("email", needEmail)} error={errors.email}>
        <input id={id("email")} name="email" type="email" value={values.email} onChange={set("email")} autoComplete="email" maxLength={254} required={needEmail} className={inputClass} placeholder={t("emailPlaceholder")} data-testid="chat-email" {...aria("email")} />
      </Field>
      <Field id={id("message")} label={t("message")} error={errors.message}>
        <textarea id={id("message")} name="message" rows={4} value={values.message} onChange={set("message")} onKeyDown={onMessageKey} required placeholder={t("messagePlaceholder")} className={`${inputClass} resize-none`} data-testid="chat-first-message" {...aria("message")} />
      </Field>
      <ErrorNote message={error} />
      <SubmitButton busy={busy} testId={offline ? "chat-offline-submit" : "chat-start"}>
        {offline ? t("sendOffline") : t("start")}
      </SubmitButton>
    </form>
  );
}
