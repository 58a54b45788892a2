"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { filtersToParams, type TicketFilters } from "@/lib/tickets/filters";
import { useTRPC } from "@/lib/trpc/react";
import { Alert, Card, EmptyState, Skeleton } from "@/components/ui/misc";
import { Button } from "@/components/ui/button";
import { FolderNav } from "@/components/inbox/folder-nav";
import { FilterBar } from "@/components/inbox/filter-bar";
import { TicketListRow } from "@/components/inbox/ticket-row";
import { BulkBar } from "@/components/inbox/bulk-bar";
import { ShortcutHelp } from "@/components/inbox/shortcut-help";
import type { TicketOptions, TicketPage } from "@/components/inbox/types";

export function InboxView({
  initialFilters,
  initialPage,
  filterErrors,
  options,
  me,
}: {
  initialFilters: TicketFilters;
  initialPage: TicketPage;
  filterErrors: string[];
  options: TicketOptions;
  me: { id: string; permissions: string[] };
}) {
  const t = useTranslations("inbox");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState<TicketFilters>(initialFilters);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [help, setHelp] = useState(false);
  // Shortcuts work once the page has hydrated; the list says so (data-keyboard), for people and tests alike.
  const [keysReady, setKeysReady] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const first = useRef(true);

  // Filters live in the URL: a filtered inbox can be bookmarked and shared.
  const applyFilters = useCallback(
    (next: TicketFilters) => {
      setFilters(next);
      setSelected(new Set());
      setAllMatching(false);
      setFocus(0);
      const qs = filtersToParams(next).toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  const listInput = { filters, limit: 50 };
  const query = useInfiniteQuery(
    trpc.tickets.list.infiniteQueryOptions(listInput, {
      getNextPageParam: (p) => p.nextCursor,
      initialData: first.current ? { pages: [initialPage], pageParams: [null] } : undefined,
      placeholderData: (prev) => prev,
    }),
  );
  useEffect(() => {
    first.current = false;
  }, []);
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const count = useQuery({ ...trpc.tickets.count.queryOptions({ filters }), enabled: selected.size > 0 && selected.size === items.length });

  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.tickets.list.pathKey() });
  const bulk = useMutation(
    trpc.tickets.bulk.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("bulkDone", { changed: r.changed, skipped: r.skipped }));
        setSelected(new Set());
        setAllMatching(false);
        void invalidate();
      },
      onError: (e) => toast.error(e.message),
    }),
  );

  const targetIds = useCallback((): number[] => {
    if (selected.size) return [...selected];
    const f = items[focus];
    return f ? [f.id] : [];
  }, [selected, items, focus]);

  const runBulk = useCallback(
    (action: Parameters<typeof bulk.mutate>[0]["action"]) => {
      if (allMatching) bulk.mutate({ filters, action });
      else {
        const ids = targetIds();
        if (ids.length) bulk.mutate({ ticketIds: ids, action });
      }
    },
    [allMatching, bulk, filters, targetIds],
  );

  // Keyboard: j/k move, x select, o/Enter open, e resolve, # trash, a assign to me, / search, ? help.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement;
      if (el.closest("input, textarea, select, [contenteditable=true], dialog[open]")) {
        if (e.key === "Escape") (el as HTMLInputElement).blur?.();
        return;
      }
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const f = items[focus];
      switch (e.key) {
        case "j":
          setFocus((i) => Math.min(i + 1, Math.max(items.length - 1, 0)));
          break;
        case "k":
          setFocus((i) => Math.max(i - 1, 0));
          break;
        case "x":
          if (f) setSelected((s) => { const n = new Set(s); if (n.has(f.id)) n.delete(f.id); else n.add(f.id); return n; });
          break;
        case "o":
        case "Enter":
          if (f) router.push(`/tickets/${f.number}`);
          break;
        case "e":
          runBulk({ type: "status", status: "RESOLVED" });
          break;
        case "#":
          runBulk({ type: "state", state: "TRASH" });
          break;
        case "a":
          runBulk({ type: "assign", assigneeId: me.id });
          break;
        case "/":
          searchRef.current?.focus();
          break;
        case "?":
          setHelp(true);
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    setKeysReady(true);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, focus, router, runBulk, me.id]);

  useEffect(() => {
    document.querySelector<HTMLElement>(`[data-row-index="${focus}"]`)?.scrollIntoView({ block: "nearest" });
  }, [focus]);

  const allOnPage = items.length > 0 && items.every((i) => selected.has(i.id));
  return (
    <div className="flex h-full">
      <FolderNav filters={filters} onChange={applyFilters} canCreate={me.permissions.includes("tickets.create")} />
      <div className="flex min-w-0 flex-1 flex-col">
        <h1 className="sr-only">{t("title")}</h1>
        <FilterBar filters={filters} options={options} onChange={applyFilters} searchRef={searchRef} />
        {filterErrors.map((err) => (
          <div key={err} className="px-4 pt-2">
            <Alert testId="filter-error">{err}</Alert>
          </div>
        ))}
        {(selected.size > 0 || allMatching) && (
          <BulkBar
            count={allMatching ? (count.data ?? selected.size) : selected.size}
            allMatching={allMatching}
            canSelectAll={allOnPage && !allMatching && !!query.hasNextPage}
            total={count.data}
            onSelectAll={() => setAllMatching(true)}
            onClear={() => { setSelected(new Set()); setAllMatching(false); }}
            onAction={runBulk}
            options={options}
            folder={filters.folder}
            permissions={me.permissions}
            meId={me.id}
            pending={bulk.isPending}
          />
        )}
        <div className="min-h-0 flex-1 overflow-auto p-4">
          <Card>
            <div className="flex items-center gap-3 border-b border-gray-100 px-4 py-2 text-xs text-gray-500">
              <input
                type="checkbox"
                aria-label={t("selectAll")}
                checked={allOnPage}
                onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
              />
              <span>{query.isFetching && !query.isFetchingNextPage ? t("loading") : t("shortcutsHint")}</span>
            </div>
            {query.isLoading ? (
              <Skeleton rows={8} />
            ) : query.isError ? (
              <div className="p-4"><Alert>{query.error.message}</Alert></div>
            ) : !items.length ? (
              <EmptyState title={t("emptyTitle")} description={t("emptyBody")} />
            ) : (
              <ul className="divide-y divide-gray-100" data-testid="ticket-list" data-keyboard={keysReady ? "ready" : undefined} aria-label={t("title")}>
                {items.map((tk, i) => (
                  <TicketListRow
                    key={tk.id}
                    ticket={tk}
                    index={i}
                    focused={i === focus}
                    selected={selected.has(tk.id) || allMatching}
                    onFocus={() => setFocus(i)}
                    onToggle={() => setSelected((s) => { const n = new Set(s); if (n.has(tk.id)) n.delete(tk.id); else n.add(tk.id); return n; })}
                  />
                ))}
              </ul>
            )}
            {query.hasNextPage && (
              <div className="border-t border-gray-100 p-3 text-center">
                <Button variant="secondary" size="sm" onClick={() => query.fetchNextPage()} loading={query.isFetchingNextPage}>
                  {t("loadMore")}
                </Button>
              </div>
            )}
          </Card>
        </div>
      </div>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
