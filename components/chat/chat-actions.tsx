"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { ArrowRightLeft, CheckCircle2, ExternalLink, Hand, TicketPlus } from "lucide-react";
import { toast } from "sonner";
import { Dialog } from "@/components/admin/dialog";
import { Alert } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { fieldErrors, useTRPC } from "@/lib/trpc/react";
import { AGENT_DOT, type ChatDetail, type ChatOptions } from "@/components/chat/types";

function useChatCaches(id: number) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return {
    put: (d: ChatDetail) => qc.setQueryData(trpc.chat.get.queryKey({ id }), d),
    refresh: () => {
      void qc.invalidateQueries({ queryKey: trpc.chat.get.queryKey({ id }) });
      void qc.invalidateQueries({ queryKey: trpc.chat.overview.pathKey() });
      void qc.invalidateQueries({ queryKey: trpc.chat.archive.pathKey() });
    },
  };
}

export type ActionsOpen = "resolve" | "transfer" | "convert" | null;

/** The conversation header's buttons: Take, Transfer, Resolve, Convert / Go to ticket. */
export function ChatActions({
  detail,
  options,
  dialog,
  setDialog,
}: {
  detail: ChatDetail;
  options: ChatOptions;
  dialog: ActionsOpen;
  setDialog: (d: ActionsOpen) => void;
}) {
  const t = useTranslations("chats.actions");
  const trpc = useTRPC();
  const caches = useChatCaches(detail.id);
  const take = useMutation(
    trpc.chat.take.mutationOptions({
      onSuccess: (d) => {
        caches.put(d);
        caches.refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const live = detail.status === "QUEUED" || detail.status === "ACTIVE";
  return (
    <div className="flex shrink-0 items-center gap-1.5">
      {detail.status === "QUEUED" && (
        <Button size="sm" onClick={() => take.mutate({ id: detail.id })} loading={take.isPending} data-testid="chat-take">
          <Hand className="h-3.5 w-3.5" aria-hidden /> {t("take")}
        </Button>
      )}
      {live && (detail.canReply || detail.canResolve) && (
        <Button size="sm" variant="secondary" onClick={() => setDialog("transfer")} data-testid="chat-transfer" aria-label={t("transfer")} title={t("transfer")}>
          <ArrowRightLeft className="h-3.5 w-3.5" aria-hidden /> <span className="hidden min-[1440px]:inline">{t("transfer")}</span>
        </Button>
      )}
      {detail.ticketNumber !== null ? (
        <Link href={`/tickets/${detail.ticketNumber}`} className="inline-flex items-center gap-1.5 rounded-md bg-white px-2.5 py-1 text-xs font-medium text-gray-900 shadow-sm ring-1 ring-gray-300 ring-inset hover:bg-gray-50" data-testid="chat-go-to-ticket" title={t("goToTicket", { number: detail.ticketNumber })}>
          <ExternalLink className="h-3.5 w-3.5" aria-hidden /> <span className="hidden min-[1440px]:inline">{t("goToTicket", { number: detail.ticketNumber })}</span>
          <span className="min-[1440px]:hidden">#{detail.ticketNumber}</span>
        </Link>
      ) : (
        <Button size="sm" variant="secondary" onClick={() => setDialog("convert")} data-testid="chat-convert" aria-label={t("convert")} title={t("convert")}>
          <TicketPlus className="h-3.5 w-3.5" aria-hidden /> <span className="hidden min-[1440px]:inline">{t("convert")}</span>
        </Button>
      )}
      {live && detail.canResolve && (
        <Button size="sm" onClick={() => setDialog("resolve")} data-testid="chat-resolve" title={t("resolveHint")}>
          <CheckCircle2 className="h-3.5 w-3.5" aria-hidden /> {t("resolve")}
        </Button>
      )}
      <ResolveDialog detail={detail} topics={options.topics} open={dialog === "resolve"} onClose={() => setDialog(null)} />
      <TransferDialog detail={detail} open={dialog === "transfer"} onClose={() => setDialog(null)} />
      <ConvertDialog detail={detail} open={dialog === "convert"} onClose={() => setDialog(null)} />
    </div>
  );
}

function ResolveDialog({ detail, topics, open, onClose }: { detail: ChatDetail; topics: ChatOptions["topics"]; open: boolean; onClose: () => void }) {
  const t = useTranslations("chats.actions");
  return (
    <Dialog open={open} onClose={onClose} title={t("resolveTitle")}>
      <ResolveForm detail={detail} topics={topics} onDone={onClose} />
    </Dialog>
  );
}

function ResolveForm({ detail, topics, onDone }: { detail: ChatDetail; topics: ChatOptions["topics"]; onDone: () => void }) {
  const t = useTranslations("chats.actions");
  const trpc = useTRPC();
  const caches = useChatCaches(detail.id);
  const [topicId, setTopicId] = useState(detail.topic?.id ?? "");
  const resolve = useMutation(
    trpc.chat.resolve.mutationOptions({
      onSuccess: () => {
        toast.success(t("resolved"));
        caches.refresh();
        onDone();
      },
    }),
  );
  // The current topic may have been deactivated since; keep it choosable.
  const list = detail.topic && !topics.some((x) => x.id === detail.topic!.id) ? [detail.topic, ...topics] : topics;
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        resolve.mutate({ id: detail.id, topicId: topicId || null });
      }}
    >
      <SelectField
        label={t("topic")}
        value={topicId}
        onChange={(e) => setTopicId(e.target.value)}
        options={[{ value: "", label: t("chooseTopic") }, ...list.map((x) => ({ value: x.id, label: x.name }))]}
        error={fieldErrors(resolve.error).topicId}
        autoFocus
        data-testid="chat-resolve-topic"
      />
      {resolve.error && !fieldErrors(resolve.error).topicId && <Alert testId="chat-resolve-error">{resolve.error.message}</Alert>}
      <p className="text-xs text-gray-500">{t("resolveBody")}</p>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onDone}>{t("cancel")}</Button>
        <Button type="submit" loading={resolve.isPending} data-testid="chat-resolve-confirm">{t("resolve")}</Button>
      </div>
    </form>
  );
}

function TransferDialog({ detail, open, onClose }: { detail: ChatDetail; open: boolean; onClose: () => void }) {
  const t = useTranslations("chats.actions");
  return (
    <Dialog open={open} onClose={onClose} title={t("transferTitle")}>
      <TransferForm detail={detail} onDone={onClose} />
    </Dialog>
  );
}

function TransferForm({ detail, onDone }: { detail: ChatDetail; onDone: () => void }) {
  const t = useTranslations("chats.actions");
  const tu = useTranslations("userMenu.status");
  const trpc = useTRPC();
  const caches = useChatCaches(detail.id);
  const targets = useQuery(trpc.chat.transferTargets.queryOptions({ id: detail.id }, { staleTime: 0 }));
  const [choice, setChoice] = useState<{ toUserId?: string; toGroupId?: string } | null>(null);
  const transfer = useMutation(
    trpc.chat.transfer.mutationOptions({
      onSuccess: (d) => {
        caches.put(d);
        caches.refresh();
        toast.success(t("transferred"));
        onDone();
      },
    }),
  );
  const agents = (targets.data?.agents ?? []).filter((a) => a.id !== detail.assignee?.id);
  const groups = targets.data?.groups ?? [];
  const option = (key: string, selected: boolean, onPick: () => void, label: React.ReactNode, testId: string) => (
    <li key={key}>
      <label className={cn("flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm hover:bg-gray-50", selected && "bg-indigo-50")} data-testid={testId}>
        <input type="radio" name="transfer-target" checked={selected} onChange={onPick} className="text-indigo-600" />
        {label}
      </label>
    </li>
  );
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (choice) transfer.mutate({ id: detail.id, ...choice });
      }}
    >
      {targets.isPending ? (
        <div className="space-y-2" aria-busy="true">{[1, 2, 3].map((i) => <div key={i} className="h-6 animate-pulse rounded bg-gray-100" />)}</div>
      ) : targets.isError ? (
        <Alert>{targets.error.message}</Alert>
      ) : (
        <div className="grid max-h-80 grid-cols-1 gap-4 overflow-y-auto sm:grid-cols-2">
          <fieldset>
            <legend className="mb-1 text-xs font-medium tracking-wide text-gray-400 uppercase">{t("agents")}</legend>
            <ul>
              {agents.map((a) =>
                option(
                  a.id,
                  choice?.toUserId === a.id,
                  () => setChoice({ toUserId: a.id }),
                  <>
                    <span className={cn("h-2 w-2 shrink-0 rounded-full", AGENT_DOT[a.status] ?? "bg-gray-300")} title={tu.has(a.status) ? tu(a.status as "ONLINE") : a.status} aria-hidden />
                    <span className="min-w-0 flex-1 truncate">{a.name}</span>
                    <span className="text-xs text-gray-500 tabular-nums" title={t("load")}>{t("chatsCount", { count: a.activeChats })}</span>
                    <span className="sr-only">{tu.has(a.status) ? tu(a.status as "ONLINE") : a.status}</span>
                  </>,
                  "chat-transfer-agent",
                ),
              )}
              {!agents.length && <li className="px-2 text-sm text-gray-400">{t("noAgents")}</li>}
            </ul>
          </fieldset>
          <fieldset>
            <legend className="mb-1 text-xs font-medium tracking-wide text-gray-400 uppercase">{t("groups")}</legend>
            <ul>
              {groups.map((g) => option(g.id, choice?.toGroupId === g.id, () => setChoice({ toGroupId: g.id }), <span className="truncate">{g.name}</span>, "chat-transfer-group"))}
              {!groups.length && <li className="px-2 text-sm text-gray-400">{t("noGroups")}</li>}
            </ul>
          </fieldset>
        </div>
      )}
      {transfer.error && <Alert>{transfer.error.message}</Alert>}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onDone}>{t("cancel")}</Button>
        <Button type="submit" disabled={!choice} loading={transfer.isPending} data-testid="chat-transfer-confirm">{t("transfer")}</Button>
      </div>
    </form>
  );
}

function ConvertDialog({ detail, open, onClose }: { detail: ChatDetail; open: boolean; onClose: () => void }) {
  const t = useTranslations("chats.actions");
  return (
    <Dialog open={open} onClose={onClose} title={t("convertTitle")}>
      <ConvertForm detail={detail} onDone={onClose} />
    </Dialog>
  );
}

function ConvertForm({ detail, onDone }: { detail: ChatDetail; onDone: () => void }) {
  const t = useTranslations("chats.actions");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const caches = useChatCaches(detail.id);
  const [email, setEmail] = useState("");
  const needsEmail = !detail.visitor.email;
  const convert = useMutation(
    trpc.chat.convert.mutationOptions({
      onSuccess: (r) => {
        qc.setQueryData(trpc.chat.get.queryKey({ id: detail.id }), (old) => (old ? { ...old, ticketNumber: r.ticketNumber } : old));
        caches.refresh();
        toast.success(t("converted", { number: r.ticketNumber }));
        onDone();
      },
    }),
  );
  const errs = fieldErrors(convert.error);
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        convert.mutate({ id: detail.id, email: needsEmail ? email.trim() : undefined });
      }}
    >
      <p className="text-sm text-gray-700">{t("convertBody")}</p>
      {needsEmail ? (
        <TextField label={t("email")} type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errs.email} hint={t("emailHint")} autoFocus required data-testid="chat-convert-email" />
      ) : (
        <p className="text-sm text-gray-500">{t("convertTo", { email: detail.visitor.email ?? "" })}</p>
      )}
      {convert.error && !errs.email && <Alert>{convert.error.message}</Alert>}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onDone}>{t("cancel")}</Button>
        <Button type="submit" loading={convert.isPending} data-testid="chat-convert-confirm">{t("convert")}</Button>
      </div>
    </form>
  );
}
