"use client";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/misc";

type Result = { ok: true; folder?: { exists: number }; idle?: boolean; authenticated?: boolean } | { ok: false; stage: string; message: string };

/** The outcome of "Test connection": what worked, or the exact step that failed and why. */
export function ConnectionResult({ result, kind }: { result: Result; kind: "imap" | "smtp" }) {
  const t = useTranslations("mailAdmin.mailboxes");
  if (result.ok) {
    return (
      <Alert tone="success" testId={`${kind}-test-result`}>
        {kind === "imap" ? t("testOk", { exists: result.folder?.exists ?? 0, idle: String(!!result.idle) }) : t("smtpTestOk", { authenticated: String(!!result.authenticated) })}
      </Alert>
    );
  }
  const stage = ["dns", "connect", "tls", "auth", "folder", "timeout"].includes(result.stage) ? t(`stage.${result.stage as "dns"}`) : result.stage;
  return (
    <Alert testId={`${kind}-test-result`}>
      {t("testFailed", { stage, message: result.message })}
    </Alert>
  );
}
