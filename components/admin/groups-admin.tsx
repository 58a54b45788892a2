"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Alert, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { Dialog } from "@/components/admin/dialog";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

type GroupForm = { groupId?: string; name: string; description: string; memberIds: string[]; brandIds: string[]; chatCapacity: string };

export function GroupsAdmin(_: { currentUserId: string }) {
  const t = useTranslations("admin.groups");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const groups = useQuery(trpc.groups.list.queryOptions());
  const [form, setForm] = useState<GroupForm | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.groups.list.queryKey() });
  const remove = useMutation(trpc.groups.delete.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  return (
    <div className="p-6">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={<Button onClick={() => setForm({ name: "", description: "", memberIds: [], brandIds: [], chatCapacity: "" })}>{t("create")}</Button>}
      />
      <Card>
        {groups.isLoading ? (
          <Skeleton />
        ) : !groups.data?.length ? (
          <EmptyState title={t("empty")} />
        ) : (
          <ul className="divide-y divide-gray-100">
            {groups.data.map((g) => (
              <li key={g.id} className="flex items-center gap-4 px-4 py-3 text-sm">
                <div className="flex-1">
                  <div className="font-medium">{g.name}</div>
                  <div className="text-xs text-gray-500">
                    {t("membersCount", { count: g.members.length })} · {g.brands.map((b) => b.name).join(", ") || t("noBrands")}
                  </div>
                </div>
                <Button size="sm" variant="ghost" onClick={() => setForm({ groupId: g.id, name: g.name, description: g.description ?? "", memberIds: g.members.map((m) => m.id), brandIds: g.brands.map((b) => b.id), chatCapacity: g.chatCapacity?.toString() ?? "" })}>
                  {tc("edit")}
                </Button>
                <Button size="sm" variant="ghost" onClick={() => remove.mutate({ groupId: g.id })}>
                  {tc("delete")}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Dialog open={!!form} onClose={() => setForm(null)} title={form?.groupId ? t("edit") : t("create")}>
        {form && <GroupEditor initial={form} onDone={() => { setForm(null); invalidate(); }} />}
      </Dialog>
    </div>
  );
}

function GroupEditor({ initial, onDone }: { initial: GroupForm; onDone: () => void }) {
  const t = useTranslations("admin.groups");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const brands = useQuery(trpc.brands.list.queryOptions());
  const [f, setF] = useState(initial);
  const create = useMutation(trpc.groups.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.groups.update.mutationOptions({ onSuccess: onDone }));
  const m = f.groupId ? update : create;
  const errs = fieldErrors(m.error);
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const payload = { name: f.name, description: f.description || null, memberIds: f.memberIds, brandIds: f.brandIds, chatCapacity: f.chatCapacity === "" ? null : Number(f.chatCapacity) };
        if (f.groupId) update.mutate({ ...payload, groupId: f.groupId });
        else create.mutate(payload);
      }}
    >
      {m.error && !Object.keys(errs).length && <Alert>{m.error.message}</Alert>}
      <TextField label={t("name")} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} error={errs.name} />
      <TextField label={t("descriptionLabel")} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      <TextField label={t("chatCapacity")} type="number" min={0} value={f.chatCapacity} onChange={(e) => setF({ ...f, chatCapacity: e.target.value })} />
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("brands")}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {brands.data?.map((b) => (
            <label key={b.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={f.brandIds.includes(b.id)} onChange={() => setF({ ...f, brandIds: toggle(f.brandIds, b.id) })} />
              {b.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">{t("members")}</legend>
        <div className="mt-1 grid max-h-48 grid-cols-2 gap-1 overflow-auto">
          {users.data?.filter((u) => u.active).map((u) => (
            <label key={u.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={f.memberIds.includes(u.id)} onChange={() => setF({ ...f, memberIds: toggle(f.memberIds, u.id) })} />
              {u.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" loading={m.isPending}>
          {tc("save")}
        </Button>
      </div>
    </form>
  );
}
