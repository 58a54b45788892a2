"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

/** Shared by the invitation and password-reset pages: choose a password, then sign in. */
export function SetPasswordForm({ token, mode, email }: { token: string; mode: "invite" | "reset"; email?: string }) {
  const t = useTranslations("auth");
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const opts = mode === "invite" ? trpc.auth.acceptInvitation.mutationOptions() : trpc.auth.resetPassword.mutationOptions();
  const m = useMutation({
    ...(opts as ReturnType<typeof trpc.auth.resetPassword.mutationOptions>),
    onSuccess: async (res: { email: string }) => {
      const r = await signIn("password", { email: res.email, password, redirect: false });
      window.location.assign(r?.ok && !r.error ? "/inbox" : "/signin");
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    m.mutate({ token, password });
  }
  const errs = fieldErrors(m.error);
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <h1 className="text-lg font-semibold">{mode === "invite" ? t("inviteTitle") : t("resetTitle")}</h1>
      {email && <p className="text-sm text-gray-600">{t("settingPasswordFor", { email })}</p>}
      {errs.token && <Alert testId="token-error">{errs.token}</Alert>}
      {m.error && !errs.token && !errs.password && <Alert>{m.error.message}</Alert>}
      <TextField label={t("newPassword")} name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errs.password} hint={t("passwordHint")} />
      <TextField label={t("confirmPassword")} name="confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} error={mismatch ? t("passwordsDiffer") : undefined} />
      <Button type="submit" className="w-full" loading={m.isPending || m.isSuccess}>
        {t("savePassword")}
      </Button>
    </form>
  );
}
