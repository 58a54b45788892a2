"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Alert } from "@/components/ui/misc";
import { ConnectionResult } from "@/components/mail-admin/connection-result";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

type SmtpForm = { kind: "SMTP"; host: string; port: number; secure: boolean; user: string; password: string; passwordSet: boolean };
export type MailboxForm = {
  mailboxId?: string;
  brandId: string;
  name: string;
  color: string;
  address: string;
  imapHost: string;
  imapPort: number;
  imapTls: boolean;
  imapUser: string;
  imapPassword: string;
  imapFolder: string;
  active: boolean;
  passwordSet: boolean;
  outbound: { kind: "DEFAULT" } | SmtpForm;
};

function Check({ label, checked, onChange, testId }: { label: string; checked: boolean; onChange: (v: boolean) => void; testId?: string }) {
  return (
    <label className="flex items-center gap-2 text-sm text-gray-700">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="rounded border-gray-300 text-indigo-600" data-testid={testId} />
      {label}
    </label>
  );
}

export function MailboxEditor({ initial, brands, onDone }: { initial: MailboxForm; brands: { id: string; name: string }[]; onDone: () => void }) {
  const t = useTranslations("mailAdmin.mailboxes");
  const trpc = useTRPC();
  const [f, setF] = useState(initial);
  const [confirming, setConfirming] = useState(false);
  const create = useMutation(trpc.mailboxes.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.mailboxes.update.mutationOptions({ onSuccess: onDone }));
  const remove = useMutation(trpc.mailboxes.delete.mutationOptions({ onSuccess: onDone }));
  const testImap = useMutation(trpc.mailboxes.testImap.mutationOptions());
  const testSmtp = useMutation(trpc.mailboxes.testSmtp.mutationOptions());
  const m = f.mailboxId ? update : create;
  const errs = fieldErrors(m.error);
  const set = <K extends keyof MailboxForm>(k: K, v: MailboxForm[K]) => setF((x) => ({ ...x, [k]: v }));
  const smtp = f.outbound.kind === "SMTP" ? f.outbound : null;
  const setSmtp = (patch: Partial<SmtpForm>) => setF((x) => (x.outbound.kind === "SMTP" ? { ...x, outbound: { ...x.outbound, ...patch } } : x));

  function submit() {
    const outbound = smtp ? { kind: "SMTP" as const, host: smtp.host, port: Number(smtp.port), secure: smtp.secure, user: smtp.user || null, password: smtp.password || null } : { kind: "DEFAULT" as const };
    const data = { brandId: f.brandId, name: f.name, color: f.color, address: f.address, imapHost: f.imapHost, imapPort: Number(f.imapPort), imapTls: f.imapTls, imapUser: f.imapUser, imapPassword: f.imapPassword || null, imapFolder: f.imapFolder, active: f.active, outbound };
    if (f.mailboxId) update.mutate({ ...data, mailboxId: f.mailboxId });
    else create.mutate(data);
  }

  return (
    <form
      className="max-h-[70vh] space-y-4 overflow-y-auto pr-1"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="mailbox-editor"
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <SelectField label={t("brand")} value={f.brandId} onChange={(e) => set("brandId", e.target.value)} options={brands.map((b) => ({ value: b.id, label: b.name }))} />
      <div className="grid grid-cols-[1fr_6rem] gap-3">
        <TextField label={t("name")} value={f.name} onChange={(e) => set("name", e.target.value)} error={errs.name} />
        <TextField label={t("color")} type="color" value={f.color} onChange={(e) => set("color", e.target.value)} error={errs.color} className="h-10" />
      </div>
      <TextField label={t("address")} type="email" value={f.address} onChange={(e) => set("address", e.target.value)} error={errs.address} autoComplete="off" />

      <fieldset className="space-y-3 rounded-md border border-gray-200 p-3">
        <legend className="px-1 text-sm font-medium text-gray-900">{t("imap")}</legend>
        <div className="grid grid-cols-[1fr_6rem] gap-3">
          <TextField label={t("host")} value={f.imapHost} onChange={(e) => set("imapHost", e.target.value)} error={errs.imapHost} placeholder="imap.example.com" autoComplete="off" />
          <TextField label={t("port")} type="number" value={f.imapPort} onChange={(e) => set("imapPort", Number(e.target.value))} error={errs.imapPort} />
        </div>
        <Check label={t("tls")} checked={f.imapTls} onChange={(v) => set("imapTls", v)} testId="imap-tls" />
        <TextField label={t("user")} value={f.imapUser} onChange={(e) => set("imapUser", e.target.value)} error={errs.imapUser} autoComplete="off" />
        <TextField
          label={t("password")}
          type="password"
          value={f.imapPassword}
          onChange={(e) => set("imapPassword", e.target.value)}
          error={errs.imapPassword}
          placeholder={f.passwordSet ? t("passwordSet") : ""}
          hint={t("passwordHint")}
          autoComplete="new-password"
        />
        <TextField label={t("folder")} value={f.imapFolder} onChange={(e) => set("imapFolder", e.target.value)} error={errs.imapFolder} />
        <div className="flex items-center gap-3">
          <Button
            type="button"
            variant="secondary"
            size="sm"
            loading={testImap.isPending}
            onClick={() => testImap.mutate({ mailboxId: f.mailboxId, host: f.imapHost, port: Number(f.imapPort), tls: f.imapTls, user: f.imapUser, password: f.imapPassword || null, folder: f.imapFolder })}
            data-testid="test-imap"
          >
            {testImap.isPending ? t("testing") : t("test")}
          </Button>
        </div>
        {testImap.error && <Alert testId="imap-test-result">{testImap.error.message}</Alert>}
        {testImap.data && !testImap.isPending && <ConnectionResult result={testImap.data} kind="imap" />}
      </fieldset>

      <fieldset className="space-y-3 rounded-md border border-gray-200 p-3">
        <legend className="px-1 text-sm font-medium text-gray-900">{t("outgoing")}</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="outbound" checked={!smtp} onChange={() => set("outbound", { kind: "DEFAULT" })} />
          {t("outgoingDefault")}
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="outbound" checked={!!smtp} onChange={() => set("outbound", { kind: "SMTP", host: "", port: 587, secure: false, user: "", password: "", passwordSet: false })} data-testid="outbound-smtp" />
          {t("outgoingSmtp")}
        </label>
        {smtp && (
          <div className="space-y-3">
            <div className="grid grid-cols-[1fr_6rem] gap-3">
              <TextField label={`SMTP ${t("host")}`} value={smtp.host} onChange={(e) => setSmtp({ host: e.target.value })} error={errs["outbound.host"]} placeholder="smtp.example.com" autoComplete="off" />
              <TextField label={`SMTP ${t("port")}`} type="number" value={smtp.port} onChange={(e) => setSmtp({ port: Number(e.target.value) })} error={errs["outbound.port"]} />
            </div>
            <Check label={t("smtpSecure")} checked={smtp.secure} onChange={(v) => setSmtp({ secure: v })} />
            <TextField label={`SMTP ${t("user")}`} value={smtp.user} onChange={(e) => setSmtp({ user: e.target.value })} autoComplete="off" />
            <TextField label={`SMTP ${t("password")}`} type="password" value={smtp.password} onChange={(e) => setSmtp({ password: e.target.value })} placeholder={smtp.passwordSet ? t("passwordSet") : ""} autoComplete="new-password" />
            <Button
              type="button"
              variant="secondary"
              size="sm"
              loading={testSmtp.isPending}
              onClick={() => testSmtp.mutate({ mailboxId: f.mailboxId, host: smtp.host, port: Number(smtp.port), secure: smtp.secure, user: smtp.user || null, password: smtp.password || null })}
              data-testid="test-smtp"
            >
              {testSmtp.isPending ? t("testing") : t("test")}
            </Button>
            {testSmtp.error && <Alert testId="smtp-test-result">{testSmtp.error.message}</Alert>}
            {testSmtp.data && !testSmtp.isPending && <ConnectionResult result={testSmtp.data} kind="smtp" />}
          </div>
        )}
      </fieldset>

      <Check label={t("active")} checked={f.active} onChange={(v) => set("active", v)} />

      <div className="flex items-center justify-between gap-2 border-t border-gray-100 pt-3">
        {f.mailboxId ? (
          confirming ? (
            <div className="flex items-center gap-2 text-sm">
              <span>{t("confirmDelete", { name: initial.name })}</span>
              <Button type="button" size="sm" variant="danger" loading={remove.isPending} onClick={() => remove.mutate({ mailboxId: f.mailboxId! })}>{t("delete")}</Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>{t("cancel")}</Button>
            </div>
          ) : (
            <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(true)}>{t("delete")}</Button>
          )
        ) : (
          <span />
        )}
        <Button type="submit" loading={m.isPending} data-testid="save-mailbox">{t("save")}</Button>
      </div>
    </form>
  );
}
