"use client";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { useTRPC } from "@/lib/trpc/react";

/** In-app alert for mailbox admins: a mailbox has been failing longer than the configured minutes. */
export function MailboxAlertBanner() {
  const t = useTranslations("mailAdmin.alert");
  const format = useFormatter();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.mailboxes.alerts.queryOptions(), refetchInterval: 60_000, retry: false });
  const failing = q.data?.mailboxes ?? [];
  if (!failing.length) return null;
  return (
    <div role="alert" className="flex items-start gap-3 border-b border-red-200 bg-red-50 px-6 py-2 text-sm text-red-800" data-testid="mailbox-alert">
      <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
      <div className="flex-1">
        <div className="font-medium">{t("title", { count: failing.length })}</div>
        <ul className="mt-0.5 space-y-0.5">
          {failing.map((m) => (
            <li key={m.id}>{t("item", { name: m.name, address: m.address, since: m.errorSince ? format.dateTime(m.errorSince, { dateStyle: "short", timeStyle: "short" }) : "", error: m.lastError ?? "" })}</li>
          ))}
        </ul>
      </div>
      <Link href="/admin/mailboxes" className="shrink-0 font-medium underline">{t("open")}</Link>
    </div>
  );
}
