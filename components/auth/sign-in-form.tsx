"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { useTRPC } from "@/lib/trpc/react";

function errorKey(code: string | null): "wrongPassword" | "accountDisabled" | "linkExpired" | "genericError" | null {
  if (!code) return null;
  if (code === "CredentialsSignin") return "wrongPassword";
  if (code === "AccountDisabled") return "accountDisabled";
  if (code === "LinkExpired") return "linkExpired";
  return "genericError";
}

export function SignInForm({ initialError, callbackUrl }: { initialError: string | null; callbackUrl: string }) {
  const t = useTranslations("auth");
  const trpc = useTRPC();
  const [mode, setMode] = useState<"password" | "link">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const magic = useMutation(trpc.auth.requestMagicLink.mutationOptions());

  async function onPassword(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const res = await signIn("password", { email, password, redirect: false });
    if (res?.ok && !res.error) {
      // Full navigation so the server renders the desk with the new session and language.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(res?.error ?? "CredentialsSignin");
  }

  function onLink(e: FormEvent) {
    e.preventDefault();
    magic.mutate({ email });
  }

  const key = errorKey(error);
  return (
    <div className="space-y-6">
      <h1 className="text-lg font-semibold">{t("signInTitle")}</h1>
      {key && (
        <Alert testId="signin-error">
          {t(key)}
        </Alert>
      )}
      {mode === "password" ? (
        <form onSubmit={onPassword} className="space-y-4" noValidate>
          <TextField label={t("email")} name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          <TextField label={t("password")} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          <Button type="submit" className="w-full" loading={pending}>
            {t("signIn")}
          </Button>
          <div className="flex justify-between text-sm">
            <button type="button" className="text-indigo-600 hover:underline" onClick={() => setMode("link")}>
              {t("emailMeALink")}
            </button>
            <Link href="/forgot" className="text-gray-500 hover:underline">
              {t("forgotPassword")}
            </Link>
          </div>
        </form>
      ) : magic.isSuccess ? (
        <Alert tone="success" testId="magic-sent">
          {t("linkSent", { email })}
        </Alert>
      ) : (
        <form onSubmit={onLink} className="space-y-4" noValidate>
          <TextField
            label={t("email")}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={magic.error?.data?.fieldErrors?.email ?? undefined}
            autoFocus
          />
          <Button type="submit" className="w-full" loading={magic.isPending}>
            {t("sendLink")}
          </Button>
          <button type="button" className="text-sm text-indigo-600 hover:underline" onClick={() => setMode("password")}>
            {t("usePassword")}
          </button>
        </form>
      )}
    </div>
  );
}
