"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

export function ForgotForm() {
  const t = useTranslations("auth");
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const m = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">{t("forgotTitle")}</h1>
      {m.isSuccess ? (
        <Alert tone="success" testId="reset-sent">{t("resetSent", { email })}</Alert>
      ) : (
        <form
          className="space-y-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate({ email });
          }}
        >
          <TextField label={t("email")} type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fieldErrors(m.error).email} autoFocus />
          <Button type="submit" className="w-full" loading={m.isPending}>
            {t("sendResetLink")}
          </Button>
        </form>
      )}
      <Link href="/signin" className="block text-sm text-indigo-600 hover:underline">
        {t("backToSignIn")}
      </Link>
    </div>
  );
}
