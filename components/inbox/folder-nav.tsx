"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { X } from "lucide-react";
import { useTRPC } from "@/lib/trpc/react";
import Link from "next/link";
import { Inbox, MessageSquare, Plus, Ticket, ShieldAlert, Trash2 } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { TicketFilters } from "@/lib/tickets/filters";

const FOLDERS = [
  { key: "all", icon: Inbox },
  { key: "chats", icon: MessageSquare },
  { key: "tickets", icon: Ticket },
  { key: "spam", icon: ShieldAlert },
  { key: "trash", icon: Trash2 },
] as const;

export function FolderNav({ filters, onChange, canCreate }: { filters: TicketFilters; onChange: (f: TicketFilters) => void; canCreate: boolean }) {
  const t = useTranslations("inbox.folders");
  const ti = useTranslations("inbox");
  const views: { name: string; patch: Partial<TicketFilters> }[] = [
    { name: ti("views.mine"), patch: { assignee: "me", status: ["OPEN", "PENDING"] } },
    { name: ti("views.unassigned"), patch: { assignee: "unassigned", status: ["OPEN"] } },
    { name: ti("views.urgent"), patch: { priority: ["HIGH", "HIGHEST"], status: ["OPEN", "PENDING"] } },
  ];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const saved = useQuery(trpc.views.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.views.list.queryKey() });
  const save = useMutation(trpc.views.save.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e.message) }));
  const remove = useMutation(trpc.views.delete.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e.message) }));
  return (
    <nav aria-label={ti("foldersLabel")} className="w-48 shrink-0 border-r border-gray-200 bg-white p-2" data-testid="folders">
      {canCreate && <Link href="/tickets/new" className="mb-3 flex items-center justify-center gap-1 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500" data-testid="new-ticket">
        <Plus className="h-4 w-4" aria-hidden /> {ti("newTicket")}
      </Link>}
      <ul className="space-y-0.5">
        {FOLDERS.map(({ key, icon: Icon }) => (
          <li key={key}>
            <button
              type="button"
              aria-current={filters.folder === key ? "page" : undefined}
              onClick={() => onChange({ folder: key, sort: filters.sort })}
              className={cn("flex w-full items-center gap-2 rounded-md px-3 py-1.5 text-sm", filters.folder === key ? "bg-indigo-50 font-medium text-indigo-700" : "text-gray-700 hover:bg-gray-100")}
            >
              <Icon className="h-4 w-4" aria-hidden />
              {t(key)}
            </button>
          </li>
        ))}
      </ul>
      <div className="mt-4 px-3 text-xs font-medium tracking-wide text-gray-400 uppercase">{ti("viewsTitle")}</div>
      <ul className="mt-1 space-y-0.5">
        {views.map((v) => (
          <li key={v.name}>
            <button
              type="button"
              onClick={() => onChange({ folder: "all", sort: filters.sort, ...v.patch })}
              className="w-full rounded-md px-3 py-1.5 text-left text-sm text-gray-700 hover:bg-gray-100"
            >
              {v.name}
            </button>
          </li>
        ))}
        {saved.data?.map((v) => (
          <li key={v.id} className="group flex items-center">
            <button type="button" onClick={() => onChange(v.filters)} className="min-w-0 flex-1 truncate rounded-md px-3 py-1.5 text-left text-sm text-gray-700 hover:bg-gray-100" data-testid="saved-view">
              {v.name}
            </button>
            <button type="button" aria-label={ti("deleteView", { name: v.name })} className="invisible p-1 text-gray-400 group-hover:visible hover:text-red-600" onClick={() => remove.mutate({ id: v.id })}>
              <X className="h-3 w-3" />
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="mt-2 w-full rounded-md px-3 py-1.5 text-left text-xs text-indigo-600 hover:bg-indigo-50"
        data-testid="save-view"
        onClick={() => {
          const name = window.prompt(ti("saveViewPrompt"));
          if (name?.trim()) save.mutate({ name, filters, shared: false });
        }}
      >
        + {ti("saveView")}
      </button>
    </nav>
  );
}
