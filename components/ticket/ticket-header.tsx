"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";
import { PRIORITIES, STATUSES } from "@/lib/tickets/filters";
import { Badge } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/admin/dialog";
import { TagEditor } from "@/components/ticket/tag-editor";
import { CustomerLanguage } from "@/components/ticket/customer-language";
import { ForwardButton } from "@/components/ticket/forward-dialog";
import type { TicketOptions } from "@/components/inbox/types";
import type { Me, TicketDetail } from "@/components/ticket/types";
import { SlaBadge } from "@/components/ticket/sla-badge";

const sel = "rounded-md border-0 py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-gray-300 focus:ring-2 focus:ring-indigo-600 disabled:bg-gray-50";

export function TicketHeader({ detail, options, me }: { detail: TicketDetail; options: TicketOptions; me: Me }) {
  const t = useTranslations("ticketPage");
  const ts = useTranslations("ticket");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const tk = detail.ticket;
  const key = trpc.tickets.get.queryKey({ number: tk.number });
  const [editingSubject, setEditingSubject] = useState(false);
  const [subject, setSubject] = useState(tk.subject);
  const [merging, setMerging] = useState(false);
  const [purging, setPurging] = useState(false);
  const [spamming, setSpamming] = useState(false);

  // Optimistic: the header changes at once and rolls back if the server refuses.
  const optimistic = (patch: (d: TicketDetail) => TicketDetail) => ({
    onMutate: async () => {
      await qc.cancelQueries({ queryKey: key });
      const prev = qc.getQueryData<TicketDetail>(key);
      if (prev) qc.setQueryData(key, patch(prev));
      return { prev };
    },
    onError: (e: { message: string }, _v: unknown, ctx?: { prev?: TicketDetail }) => {
      if (ctx?.prev) qc.setQueryData(key, ctx.prev);
      toast.error(e.message);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  const update = useMutation(trpc.tickets.update.mutationOptions());
  const assign = useMutation(trpc.tickets.assign.mutationOptions());
  const move = useMutation(trpc.tickets.move.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: key }), onError: (e) => toast.error(e.message) }));
  const markSpam = (blockSender: boolean) => move.mutate({ ticketIds: [tk.id], state: "SPAM", blockSender }, { onSuccess: () => setSpamming(false) });
  const purge = useMutation(trpc.tickets.purge.mutationOptions({ onSuccess: () => router.push("/inbox?folder=trash"), onError: (e) => toast.error(e.message) }));

  const setField = (patch: Record<string, string | null>) =>
    update.mutate(
      { number: tk.number, patch },
      optimistic((d) => ({ ...d, ticket: { ...d.ticket, ...("status" in patch ? { status: patch.status as typeof tk.status } : {}), ...("priority" in patch ? { priority: patch.priority as typeof tk.priority } : {}) } })),
    );
  const canEdit = me.permissions.includes("tickets.update");
  const canAssign = me.permissions.includes("tickets.assign");
  const canDelete = me.permissions.includes("tickets.delete");
  // Merging is its own permission on the server (tickets.merge), independent of deleting.
  const canMerge = me.permissions.includes("tickets.merge") && !tk.mergedIntoId;
  const closed = tk.status === "CLOSED";

  return (
    <header className="border-b border-gray-200 bg-white px-6 py-3" data-testid="ticket-header">
      <div className="flex items-start gap-3">
        <span className="mt-1 h-3 w-3 shrink-0 rounded-full" style={{ background: tk.brand.color }} title={tk.brand.name} aria-hidden />
        {editingSubject ? (
          <form
            className="flex flex-1 gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ number: tk.number, patch: { subject } }, { ...optimistic((d) => ({ ...d, ticket: { ...d.ticket, subject } })), onSuccess: () => setEditingSubject(false) });
            }}
          >
            <input className="flex-1 rounded-md border-0 px-2 py-1 text-lg font-semibold ring-1 ring-gray-300" value={subject} onChange={(e) => setSubject(e.target.value)} aria-label={t("subject")} autoFocus />
            <Button size="sm" type="submit">{t("save")}</Button>
          </form>
        ) : (
          <h1 className="flex-1 text-lg font-semibold text-gray-900">
            <span className="text-gray-400">#{tk.number}</span>{" "}
            <button type="button" disabled={!canEdit} className="text-left hover:underline disabled:no-underline" onClick={() => setEditingSubject(true)} data-testid="ticket-subject">
              {tk.subject}
            </button>
          </h1>
        )}
        {tk.state !== "ACTIVE" && <Badge color="red" className="mt-1">{t(`state.${tk.state}`)}</Badge>}
        <span className="mt-1"><SlaBadge sla={tk.sla} /></span>
        <CustomerLanguage number={tk.number} customerId={tk.customer.id} language={tk.customer.language} canEdit={me.permissions.includes("customers.edit")} />
        {me.permissions.includes("tickets.reply") && !tk.mergedIntoId && <ForwardButton number={tk.number} subject={tk.subject} />}
        {(canDelete || canMerge) && (
          <div className="flex gap-2">
            {canDelete &&
              (tk.state === "ACTIVE" ? (
                <>
                  <Button size="sm" variant="secondary" onClick={() => setSpamming(true)} aria-haspopup="dialog" data-testid="spam-ticket">{t("markSpam")}</Button>
                  <Button size="sm" variant="secondary" onClick={() => move.mutate({ ticketIds: [tk.id], state: "TRASH" })} data-testid="trash-ticket">{t("trash")}</Button>
                </>
              ) : (
                <>
                  <Button size="sm" variant="secondary" onClick={() => move.mutate({ ticketIds: [tk.id], state: "ACTIVE" })} data-testid="restore-ticket">{t("restore")}</Button>
                  {me.permissions.includes("tickets.purge") && <Button size="sm" variant="danger" onClick={() => setPurging(true)} data-testid="purge-ticket">{t("purge")}</Button>}
                </>
              ))}
            {canMerge && <Button size="sm" variant="secondary" onClick={() => setMerging(true)} data-testid="merge-ticket">{t("merge")}</Button>}
          </div>
        )}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
        <select aria-label={t("status")} className={sel} value={tk.status} disabled={!canEdit || closed} onChange={(e) => setField({ status: e.target.value })} data-testid="ticket-status">
          {STATUSES.map((s) => <option key={s} value={s}>{ts(`status.${s}`)}</option>)}
        </select>
        <select aria-label={t("priority")} className={sel} value={tk.priority} disabled={!canEdit} onChange={(e) => setField({ priority: e.target.value })} data-testid="ticket-priority">
          {PRIORITIES.map((s) => <option key={s} value={s}>{ts(`priority.${s}`)}</option>)}
        </select>
        <select aria-label={t("type")} className={sel} value={tk.type?.id ?? ""} disabled={!canEdit} onChange={(e) => setField({ typeId: e.target.value || null })}>
          <option value="">{t("noType")}</option>
          {options.types.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
        <select aria-label={t("topic")} className={sel} value={tk.topic?.id ?? ""} disabled={!canEdit} onChange={(e) => setField({ topicId: e.target.value || null })} data-testid="ticket-topic">
          <option value="">{t("noTopic")}</option>
          {options.topics.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
        <select
          aria-label={t("assignee")}
          className={sel}
          value={tk.assignee?.id ?? ""}
          disabled={!canAssign}
          data-testid="ticket-assignee"
          onChange={(e) => assign.mutate({ number: tk.number, assigneeId: e.target.value || null }, optimistic((d) => ({ ...d, ticket: { ...d.ticket, assignee: options.agents.find((a) => a.id === e.target.value) ?? null } })))}
        >
          <option value="">{t("unassigned")}</option>
          {options.agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
        <select
          aria-label={t("group")}
          className={sel}
          value={tk.group?.id ?? ""}
          disabled={!canAssign}
          data-testid="ticket-group"
          onChange={(e) => assign.mutate({ number: tk.number, groupId: e.target.value || null }, optimistic((d) => ({ ...d, ticket: { ...d.ticket, group: options.groups.find((g) => g.id === e.target.value) ?? null } })))}
        >
          <option value="">{t("noGroup")}</option>
          {options.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </select>
        <TagEditor ticketId={tk.id} number={tk.number} tags={tk.tags} suggestions={options.tags} disabled={!canEdit} />
      </div>
      <Dialog open={merging} onClose={() => setMerging(false)} title={t("mergeTitle")}>
        <MergeForm number={tk.number} otherTickets={detail.otherTickets} onDone={(target) => router.push(`/tickets/${target}`)} />
      </Dialog>
      <Dialog open={spamming} onClose={() => setSpamming(false)} title={t("spamTitle")}>
        <p className="text-sm text-gray-700">{t("spamHelp", { number: tk.number, customer: tk.customer.name || tk.customer.email || t("customer") })}</p>
        <div className="mt-4 flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={() => setSpamming(false)}>{t("cancel")}</Button>
          <Button variant="secondary" loading={move.isPending && move.variables?.blockSender === false} disabled={move.isPending} onClick={() => markSpam(false)} data-testid="confirm-spam">{t("spamOnly")}</Button>
          <Button variant="danger" loading={move.isPending && move.variables?.blockSender === true} disabled={move.isPending} onClick={() => markSpam(true)} data-testid="confirm-spam-block">{t("spamAndBlock")}</Button>
        </div>
      </Dialog>
      <Dialog open={purging} onClose={() => setPurging(false)} title={t("purgeTitle")}>
        <p className="text-sm text-gray-700">{t("purgeWarning")}</p>
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setPurging(false)}>{t("cancel")}</Button>
          <Button variant="danger" loading={purge.isPending} onClick={() => purge.mutate({ ticketIds: [tk.id] })} data-testid="confirm-purge">{t("purgeConfirm")}</Button>
        </div>
      </Dialog>
    </header>
  );
}

function MergeForm({ number, otherTickets, onDone }: { number: number; otherTickets: TicketDetail["otherTickets"]; onDone: (target: number) => void }) {
  const t = useTranslations("ticketPage");
  const trpc = useTRPC();
  const [target, setTarget] = useState(otherTickets.find((o) => o.status !== "CLOSED")?.number.toString() ?? "");
  const m = useMutation(trpc.tickets.merge.mutationOptions({ onSuccess: (r) => onDone(r.targetNumber), onError: (e) => toast.error(e.message) }));
  return (
    <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); m.mutate({ sourceNumber: number, targetNumber: Number(target) }); }}>
      <p className="text-sm text-gray-600">{t("mergeHelp", { number })}</p>
      <label className="block text-sm font-medium">
        {t("mergeTarget")}
        <input className="mt-1 block w-full rounded-md border-0 px-3 py-2 ring-1 ring-gray-300" inputMode="numeric" value={target} onChange={(e) => setTarget(e.target.value.replace(/\D/g, ""))} data-testid="merge-target" />
      </label>
      {otherTickets.length > 0 && (
        <ul className="max-h-40 overflow-auto text-sm">
          {otherTickets.map((o) => (
            <li key={o.number}>
              <button type="button" className="text-indigo-600 hover:underline" onClick={() => setTarget(String(o.number))}>#{o.number} {o.subject}</button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex justify-end">
        <Button type="submit" loading={m.isPending} disabled={!target} data-testid="confirm-merge">{t("mergeConfirm")}</Button>
      </div>
    </form>
  );
}
