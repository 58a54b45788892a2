"use client";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/misc";

export function MagicLinkConfirm({ token }: { token: string }) {
  const t = useTranslations("auth");
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(!token);
  async function go() {
    setPending(true);
    const res = await signIn("magic-link", { token, redirect: false });
    if (res?.ok && !res.error) {
      window.location.assign("/inbox");
      return;
    }
    setPending(false);
    setFailed(true);
  }
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">{t("magicTitle")}</h1>
      {failed ? (
        <>
          <Alert testId="magic-error">{t("linkExpired")}</Alert>
          <Link href="/signin" className="text-sm text-indigo-600 hover:underline">
            {t("backToSignIn")}
          </Link>
        </>
      ) : (
        <Button className="w-full" onClick={go} loading={pending} data-testid="magic-continue">
          {t("continueSignIn")}
        </Button>
      )}
    </div>
  );
}
