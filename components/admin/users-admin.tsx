"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Alert, Badge, Card, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/config";

export function UsersAdmin({ currentUserId }: { currentUserId: string }) {
  const t = useTranslations("admin.users");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const roles = useQuery(trpc.roles.list.queryOptions());
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setActive = useMutation(trpc.users.setActive.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  const resend = useMutation(trpc.users.resendInvitation.mutationOptions({ onSuccess: () => toast.success(t("invitationResent")), onError: (e) => toast.error(e.message) }));
  const editingUser = users.data?.find((u) => u.id === editing);

  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} actions={<Button onClick={() => setInviting(true)}>{t("invite")}</Button>} />
      <Card>
        {users.isLoading ? (
          <Skeleton />
        ) : (
          <table className="w-full text-sm" data-testid="users-table">
            <thead className="border-b border-gray-200 text-left text-xs text-gray-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("name")}</th>
                <th className="px-4 py-2 font-medium">{t("role")}</th>
                <th className="px-4 py-2 font-medium">{t("groups")}</th>
                <th className="px-4 py-2 font-medium">{t("lastSignIn")}</th>
                <th className="px-4 py-2 font-medium">{t("state")}</th>
                <th className="px-4 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {users.data?.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.email}`} className={u.active ? "" : "text-gray-400"}>
                  <td className="px-4 py-2">
                    <div className="font-medium">{u.name}</div>
                    <div className="text-xs text-gray-500">{u.email}</div>
                  </td>
                  <td className="px-4 py-2">{u.role.name}</td>
                  <td className="px-4 py-2">{u.groups.map((g) => g.name).join(", ") || "—"}</td>
                  <td className="px-4 py-2 text-gray-500">{u.lastSignInAt ? format.relativeTime(u.lastSignInAt) : "—"}</td>
                  <td className="px-4 py-2">
                    {!u.active ? <Badge>{t("deactivated")}</Badge> : u.pending ? <Badge color="yellow">{t("invited")}</Badge> : <Badge color="green">{t("active")}</Badge>}
                  </td>
                  <td className="space-x-1 px-4 py-2 text-right whitespace-nowrap">
                    <Button size="sm" variant="ghost" onClick={() => setEditing(u.id)}>
                      {tc("edit")}
                    </Button>
                    {u.pending && u.active && (
                      <Button size="sm" variant="ghost" onClick={() => resend.mutate({ userId: u.id })}>
                        {t("resend")}
                      </Button>
                    )}
                    {u.id !== currentUserId && (
                      <Button size="sm" variant={u.active ? "ghost" : "secondary"} onClick={() => setActive.mutate({ userId: u.id, active: !u.active })} data-testid={`toggle-active-${u.email}`}>
                        {u.active ? t("deactivate") : t("reactivate")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Dialog open={inviting} onClose={() => setInviting(false)} title={t("invite")}>
        <InviteForm roles={roles.data ?? []} onDone={() => { setInviting(false); invalidate(); }} />
      </Dialog>
      <Dialog open={!!editingUser} onClose={() => setEditing(null)} title={t("edit")}>
        {editingUser && (
          <EditUserForm
            user={editingUser}
            roles={roles.data ?? []}
            isSelf={editingUser.id === currentUserId}
            onDone={() => { setEditing(null); invalidate(); }}
          />
        )}
      </Dialog>
    </div>
  );
}

type RoleOpt = { id: string; name: string; builtIn: string | null };

function InviteForm({ roles, onDone }: { roles: RoleOpt[]; onDone: () => void }) {
  const t = useTranslations("admin.users");
  const trpc = useTRPC();
  const groups = useQuery(trpc.groups.list.queryOptions());
  const [form, setForm] = useState({ email: "", name: "", roleId: "", language: "en" as (typeof LOCALES)[number], groupIds: [] as string[] });
  // Roles may arrive after the dialog opens: the default (Agent) is derived, never captured early.
  const roleId = form.roleId || roles.find((r) => r.builtIn === "AGENT")?.id || roles[0]?.id || "";
  const m = useMutation(trpc.users.invite.mutationOptions({ onSuccess: () => { toast.success(t("invitationSent", { email: form.email })); onDone(); } }));
  const errs = fieldErrors(m.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    m.mutate({ ...form, roleId });
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate data-testid="invite-form">
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <TextField label={t("email")} name="email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={errs.email} />
      <TextField label={t("name")} name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errs.name} />
      <SelectField label={t("role")} name="roleId" value={roleId} onChange={(e) => setForm({ ...form, roleId: e.target.value })} options={roles.map((r) => ({ value: r.id, label: r.name }))} error={errs.roleId} />
      <SelectField label={t("language")} name="language" value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value as "en" })} options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} />
      <GroupPicker all={groups.data ?? []} value={form.groupIds} onChange={(groupIds) => setForm({ ...form, groupIds })} />
      <div className="flex justify-end">
        <Button type="submit" loading={m.isPending}>
          {t("sendInvitation")}
        </Button>
      </div>
    </form>
  );
}

function GroupPicker({ all, value, onChange }: { all: { id: string; name: string }[]; value: string[]; onChange: (v: string[]) => void }) {
  const t = useTranslations("admin.users");
  return (
    <fieldset>
      <legend className="text-sm font-medium text-gray-700">{t("groups")}</legend>
      <div className="mt-1 flex flex-wrap gap-3">
        {all.map((g) => (
          <label key={g.id} className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={value.includes(g.id)} onChange={(e) => onChange(e.target.checked ? [...value, g.id] : value.filter((x) => x !== g.id))} />
            {g.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function EditUserForm({
  user,
  roles,
  isSelf,
  onDone,
}: {
  user: { id: string; name: string; language: string; chatCapacity: number | null; role: { id: string }; groups: { id: string }[] };
  roles: RoleOpt[];
  isSelf: boolean;
  onDone: () => void;
}) {
  const t = useTranslations("admin.users");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const groups = useQuery(trpc.groups.list.queryOptions());
  const [form, setForm] = useState({
    name: user.name,
    roleId: user.role.id,
    language: user.language as (typeof LOCALES)[number],
    groupIds: user.groups.map((g) => g.id),
    chatCapacity: user.chatCapacity === null ? "" : String(user.chatCapacity),
  });
  const m = useMutation(trpc.users.update.mutationOptions({ onSuccess: onDone }));
  const errs = fieldErrors(m.error);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate({
          userId: user.id,
          name: form.name,
          roleId: isSelf ? undefined : form.roleId,
          language: form.language,
          groupIds: form.groupIds,
          chatCapacity: form.chatCapacity === "" ? null : Number(form.chatCapacity),
        });
      }}
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <TextField label={t("name")} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errs.name} />
      <SelectField label={t("role")} value={form.roleId} disabled={isSelf} onChange={(e) => setForm({ ...form, roleId: e.target.value })} options={roles.map((r) => ({ value: r.id, label: r.name }))} error={errs.roleId} />
      <SelectField label={t("language")} value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value as "en" })} options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} />
      <TextField label={t("chatCapacity")} type="number" min={0} max={50} value={form.chatCapacity} onChange={(e) => setForm({ ...form, chatCapacity: e.target.value })} error={errs.chatCapacity} hint={t("chatCapacityHint")} />
      <GroupPicker all={groups.data ?? []} value={form.groupIds} onChange={(groupIds) => setForm({ ...form, groupIds })} />
      <div className="flex justify-end">
        <Button type="submit" loading={m.isPending}>
          {tc("save")}
        </Button>
      </div>
    </form>
  );
}
