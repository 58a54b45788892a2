"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Badge, Card, PageHeader, Skeleton } from "@/components/ui/misc";
import { PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

/** Permission matrix: one column per role, one row per permission. Built-in roles are read-only. */
export function RolesAdmin(_: { currentUserId: string }) {
  const t = useTranslations("admin.roles");
  const tp = useTranslations("permissions");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const roles = useQuery(trpc.roles.list.queryOptions());
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.roles.list.queryKey() });
  const update = useMutation(trpc.roles.update.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  const remove = useMutation(trpc.roles.delete.mutationOptions({ onSuccess: invalidate, onError: (e) => toast.error(e.message) }));
  const create = useMutation(trpc.roles.create.mutationOptions({ onSuccess: () => { setName(""); invalidate(); } }));
  const [name, setName] = useState("");

  function toggle(roleId: string, perms: string[], p: Permission) {
    update.mutate({ roleId, permissions: (perms.includes(p) ? perms.filter((x) => x !== p) : [...perms, p]) as Permission[] });
  }

  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} />
      <Card className="mb-4 p-4">
        <form
          className="flex items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, permissions: ["tickets.view"] });
          }}
        >
          <div className="flex-1">
            <TextField label={t("newRole")} value={name} onChange={(e) => setName(e.target.value)} error={fieldErrors(create.error).name} />
          </div>
          <Button type="submit" loading={create.isPending}>
            {t("create")}
          </Button>
        </form>
      </Card>
      <Card className="overflow-x-auto">
        {roles.isLoading ? (
          <Skeleton />
        ) : (
          <table className="w-full text-sm" data-testid="permission-matrix">
            <thead className="border-b border-gray-200 text-xs text-gray-500">
              <tr>
                <th className="px-4 py-2 text-left font-medium">{t("permission")}</th>
                {roles.data?.map((r) => (
                  <th key={r.id} className="px-3 py-2 text-center font-medium">
                    <div>{r.name}</div>
                    <div className="font-normal">{r.builtIn ? <Badge>{t("builtIn")}</Badge> : <button className="text-red-600 hover:underline" onClick={() => remove.mutate({ roleId: r.id })}>{t("delete")}</button>}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {PERMISSIONS.map((p) => (
                <tr key={p}>
                  <td className="px-4 py-1.5">
                    <div>{tp(p.replace(".", "_") as "tickets_view")}</div>
                    <code className="text-xs text-gray-400">{p}</code>
                  </td>
                  {roles.data?.map((r) => (
                    <td key={r.id} className="px-3 py-1.5 text-center">
                      <input
                        type="checkbox"
                        aria-label={`${r.name}: ${p}`}
                        checked={r.permissions.includes(p)}
                        disabled={!!r.builtIn || update.isPending}
                        onChange={() => toggle(r.id, r.permissions, p)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
