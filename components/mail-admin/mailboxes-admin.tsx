"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Alert, Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { CopyButton } from "@/components/mail-admin/copy-button";
import { MailboxEditor, type MailboxForm } from "@/components/mail-admin/mailbox-editor";
import { Dialog } from "@/components/admin/dialog";
import { useTRPC } from "@/lib/trpc/react";

const HEALTH_COLOR = { UNKNOWN: "gray", CONNECTED: "green", IDLE: "green", ERROR: "red", DISABLED: "gray" } as const;

/** E1/E2/E6: mailboxes with their health, capture address and outgoing channel. */
export function MailboxesAdmin() {
  const t = useTranslations("mailAdmin.mailboxes");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.mailboxes.list.queryOptions());
  const brands = useQuery(trpc.me.brands.queryOptions());
  const [form, setForm] = useState<MailboxForm | null>(null);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "short", timeStyle: "short" }) : t("never"));

  const blank = (): MailboxForm => ({
    brandId: brands.data?.[0]?.id ?? "", name: "", color: "#0ea5e9", address: "", imapHost: "", imapPort: 993, imapTls: true, imapUser: "", imapPassword: "",
    imapFolder: "INBOX", active: true, passwordSet: false, outbound: { kind: "DEFAULT" },
  });

  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} actions={<Button onClick={() => setForm(blank())} disabled={!brands.data?.length} data-testid="add-mailbox">{t("add")}</Button>} />
      <AlertSetting />
      <Card>
        {list.isLoading ? (
          <Skeleton />
        ) : list.isError ? (
          <div className="p-4"><Alert>{list.error.message}</Alert></div>
        ) : !list.data?.mailboxes.length ? (
          <EmptyState title={t("empty")} description={t("emptyHint")} />
        ) : (
          <table className="w-full text-sm" data-testid="mailboxes">
            <thead className="border-b border-gray-200 text-left text-xs text-gray-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("name")}</th>
                <th className="px-4 py-2 font-medium">{t("forwarding")}</th>
                <th className="px-4 py-2 font-medium">{t("replyVia")}</th>
                <th className="px-4 py-2 font-medium">{t("health")}</th>
                <th className="px-4 py-2"><span className="sr-only">{t("edit")}</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {list.data.mailboxes.map((m) => (
                <tr key={m.id} data-testid="mailbox-row" className="align-top">
                  <td className="px-4 py-3">
                    <div className="flex items-center gap-2 font-medium">
                      <span className="h-3 w-3 shrink-0 rounded-full" style={{ background: m.color }} aria-hidden />
                      {m.name}
                    </div>
                    <div className="text-xs text-gray-500">{m.address} · {m.brand.name}</div>
                  </td>
                  <td className="px-4 py-3">
                    {m.forwardingAddress && (
                      <div className="flex items-center gap-1">
                        <code className="text-xs" data-testid="forwarding-address">{m.forwardingAddress}</code>
                        <CopyButton value={m.forwardingAddress} />
                      </div>
                    )}
                  </td>
                  <td className="px-4 py-3 text-gray-700">{m.outbound.kind === "SMTP" ? t("viaSmtp", { host: m.outbound.host }) : t("viaDefault", { platform: list.data.platform })}</td>
                  <td className="px-4 py-3" data-testid="mailbox-health">
                    <Badge color={HEALTH_COLOR[m.health]}>{t(`healthState.${m.health}`)}</Badge>
                    <div className="mt-1 text-xs text-gray-500">{t("lastSuccess")}: {when(m.lastSuccessAt)}</div>
                    {m.lastError && (
                      <div className="mt-0.5 max-w-xs text-xs text-red-700">
                        {t("lastError")} ({when(m.lastErrorAt)}): {m.lastError}
                      </div>
                    )}
                    <div className="mt-0.5 text-xs text-gray-500">{t("counts", { ingested: m.ingestedCount, failed: m.failedCount })}</div>
                  </td>
                  <td className="px-4 py-3 text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`${t("edit")}: ${m.name}`}
                      onClick={() =>
                        setForm({
                          mailboxId: m.id, brandId: m.brandId, name: m.name, color: m.color, address: m.address, imapHost: m.imapHost, imapPort: m.imapPort, imapTls: m.imapTls,
                          imapUser: m.imapUser, imapPassword: "", imapFolder: m.imapFolder, active: m.active, passwordSet: m.passwordSet,
                          outbound: m.outbound.kind === "SMTP" ? { kind: "SMTP", host: m.outbound.host, port: m.outbound.port, secure: m.outbound.secure, user: m.outbound.user ?? "", password: "", passwordSet: m.outbound.passwordSet } : { kind: "DEFAULT" },
                        })
                      }
                    >
                      {tc("edit")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Dialog open={!!form} onClose={() => setForm(null)} title={form?.mailboxId ? t("edit") : t("add")}>
        {form && (
          <MailboxEditor
            initial={form}
            brands={brands.data ?? []}
            onDone={() => {
              setForm(null);
              qc.invalidateQueries({ queryKey: trpc.mailboxes.list.queryKey() });
              qc.invalidateQueries({ queryKey: trpc.blocklist.list.queryKey() });
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

function AlertSetting() {
  const t = useTranslations("mailAdmin.mailboxes");
  const trpc = useTRPC();
  const q = useQuery(trpc.mailboxes.alertSetting.queryOptions());
  const [value, setValue] = useState<string | null>(null);
  const save = useMutation(trpc.mailboxes.setAlertSetting.mutationOptions({ onSuccess: () => toast.success(t("settingSaved")), onError: (e) => toast.error(e.message) }));
  const shown = value ?? (q.data ? String(q.data.minutes) : "");
  return (
    <form
      className="mb-4 flex items-center gap-2 text-sm text-gray-700"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ minutes: Number(shown) });
      }}
    >
      <label htmlFor="alert-minutes">{t("alertSetting")}</label>
      <input id="alert-minutes" type="number" min={1} max={1440} value={shown} onChange={(e) => setValue(e.target.value)} className="w-20 rounded-md border-0 px-2 py-1 text-sm ring-1 ring-gray-300" />
      <span>{t("minutes")}</span>
      <Button size="sm" variant="secondary" type="submit" loading={save.isPending}>{t("saveSetting")}</Button>
    </form>
  );
}
