"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { X } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Badge, Card, EmptyState, PageHeader, Skeleton } from "@/components/ui/misc";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";

/** E9: the outgoing-email filter, with the mailbox addresses it always includes. */
export function BlocklistAdmin() {
  const t = useTranslations("mailAdmin.filter");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.blocklist.list.queryOptions());
  const [pattern, setPattern] = useState("");
  const [reason, setReason] = useState("");
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.blocklist.list.queryKey() });
  const add = useMutation(
    trpc.blocklist.add.mutationOptions({
      onSuccess: () => {
        setPattern("");
        setReason("");
        refresh();
      },
    }),
  );
  const remove = useMutation(trpc.blocklist.remove.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e.message) }));
  const errs = fieldErrors(add.error);
  return (
    <div className="p-6">
      <PageHeader title={t("title")} description={t("description")} />
      <Card className="mb-4 p-4">
        <form
          className="grid items-start gap-3 md:grid-cols-[1fr_1fr_auto]"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ pattern, reason: reason || null });
          }}
        >
          <TextField label={t("pattern")} value={pattern} onChange={(e) => setPattern(e.target.value)} error={errs.pattern ?? (add.error && !Object.keys(errs).length ? add.error.message : undefined)} hint={t("patternHint")} />
          <TextField label={t("reason")} value={reason} onChange={(e) => setReason(e.target.value)} error={errs.reason} />
          <Button type="submit" className="mt-6" loading={add.isPending} data-testid="add-block">{t("add")}</Button>
        </form>
      </Card>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="border-b border-gray-100 px-4 py-2 text-sm font-medium">{t("manual")}</h2>
          {list.isLoading ? (
            <Skeleton rows={3} />
          ) : !list.data?.manual.length ? (
            <EmptyState title={t("empty")} />
          ) : (
            <ul className="divide-y divide-gray-100" data-testid="blocklist-manual">
              {list.data.manual.map((b) => (
                <li key={b.id} className="flex items-center gap-2 px-4 py-2 text-sm">
                  <code className="flex-1">{b.pattern}</code>
                  {b.reason && <span className="text-xs text-gray-500">{b.reason}</span>}
                  <button type="button" className="rounded p-1 text-gray-500 hover:bg-gray-100" aria-label={t("remove", { pattern: b.pattern })} onClick={() => remove.mutate({ id: b.id })}>
                    <X className="h-4 w-4" />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <h2 className="border-b border-gray-100 px-4 py-2 text-sm font-medium">{t("automatic")}</h2>
          {list.isLoading ? (
            <Skeleton rows={3} />
          ) : !list.data?.automatic.length ? (
            <EmptyState title={t("noMailboxes")} />
          ) : (
            <ul className="divide-y divide-gray-100" data-testid="blocklist-automatic">
              {list.data.automatic.map((a) => (
                <li key={a.pattern} className="flex items-center gap-2 px-4 py-2 text-sm">
                  <code className="flex-1">{a.pattern}</code>
                  <Badge color="blue">{t("mailbox", { name: a.mailbox })}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
