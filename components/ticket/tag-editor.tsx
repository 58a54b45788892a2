"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { X } from "lucide-react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/react";

export function TagEditor({ ticketId, number, tags, suggestions, disabled }: { ticketId: number; number: number; tags: string[]; suggestions: string[]; disabled?: boolean }) {
  const t = useTranslations("ticketPage");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const listId = useId();
  const [value, setValue] = useState("");
  const m = useMutation(trpc.tickets.tags.mutationOptions({ onSettled: () => qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ number }) }), onError: (e) => toast.error(e.message) }));
  return (
    <div className="flex flex-wrap items-center gap-1" data-testid="tag-editor">
      {tags.map((tag) => (
        <span key={tag} className="inline-flex items-center gap-1 rounded bg-gray-100 px-1.5 py-0.5 text-xs text-gray-700">
          {tag}
          {!disabled && (
            <button type="button" aria-label={t("removeTag", { tag })} onClick={() => m.mutate({ ticketIds: [ticketId], add: [], remove: [tag] })}>
              <X className="h-3 w-3" />
            </button>
          )}
        </span>
      ))}
      {!disabled && (
        <form onSubmit={(e) => { e.preventDefault(); if (value.trim()) m.mutate({ ticketIds: [ticketId], add: [value.trim()], remove: [] }); setValue(""); }}>
          <input list={listId} value={value} onChange={(e) => setValue(e.target.value)} placeholder={t("addTag")} aria-label={t("addTag")} className="w-24 rounded border-0 px-1.5 py-0.5 text-xs ring-1 ring-gray-200" data-testid="add-tag" />
          <datalist id={listId}>{suggestions.map((s) => <option key={s} value={s} />)}</datalist>
        </form>
      )}
    </div>
  );
}
