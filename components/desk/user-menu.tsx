"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { LOCALE_NAMES, LOCALES } from "@/lib/i18n/config";
import { useTRPC } from "@/lib/trpc/react";
import { cn } from "@/components/ui/cn";
import { useOnReconnect, useRealtimeEvent } from "@/components/realtime/use-realtime-event";

export type MenuUser = { id: string; name: string; email: string; roleName: string; language: string; agentStatus: string; agentStatusAt: string };

const STATUSES = ["ONLINE", "INVISIBLE", "BREAK", "OFFLINE"] as const;
const DOT: Record<string, string> = { ONLINE: "bg-green-500", INVISIBLE: "bg-gray-400", BREAK: "bg-amber-500", OFFLINE: "bg-gray-300" };

function useElapsed(since: string) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);
  const s = Math.max(0, Math.floor((now - new Date(since).getTime()) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

export function UserMenu({ user }: { user: MenuUser }) {
  const t = useTranslations("userMenu");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [status, setStatus] = useState({ value: user.agentStatus, since: user.agentStatusAt });
  // The newest status the server has told us about, by its own clock: the presence sweep, another
  // tab and this tab's own changes arrive in any order, and an older one must not undo a newer one.
  const serverAt = useRef(Date.parse(user.agentStatusAt));
  const confirm = useCallback((value: string, at: string | Date) => {
    const when = new Date(at);
    if (when.getTime() < serverAt.current) return;
    serverAt.current = when.getTime();
    // Time in status counts from when the server changed it, not from when this tab heard.
    setStatus({ value, since: when.toISOString() });
  }, []);
  useRealtimeEvent("agent.status", (e) => {
    if (e.userId === user.id) confirm(e.status, e.at);
  });
  // Changes made while the connection was down were never heard: ask for the status again.
  useOnReconnect(() => {
    void qc.fetchQuery({ ...trpc.me.get.queryOptions(), staleTime: 0 }).then((me) => confirm(me.agentStatus, me.agentStatusAt), () => undefined);
  });
  const elapsed = useElapsed(status.since);
  const setAgentStatus = useMutation(
    trpc.me.setAgentStatus.mutationOptions({
      onMutate: ({ status: value }) => {
        const previous = status;
        setStatus({ value, since: new Date().toISOString() });
        return { previous };
      },
      onSuccess: (res) => confirm(res.agentStatus, res.agentStatusAt),
      onError: (e, _v, ctx) => {
        if (ctx) setStatus(ctx.previous);
        toast.error(e.message);
      },
    }),
  );
  const update = useMutation(trpc.me.update.mutationOptions({ onSuccess: () => window.location.reload(), onError: (e) => toast.error(e.message) }));

  return (
    <details className="group relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-2 hover:bg-gray-100" data-testid="user-menu">
        <span className="relative flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-sm font-semibold text-indigo-700">
          {user.name.slice(0, 1).toUpperCase()}
          <span className={cn("absolute -right-0.5 -bottom-0.5 h-3 w-3 rounded-full ring-2 ring-white", DOT[status.value])} aria-hidden />
        </span>
        <span className="min-w-0 text-left">
          <span className="block truncate text-sm font-medium">{user.name}</span>
          <span className="block truncate text-xs text-gray-500" data-testid="agent-status">
            {t(`status.${status.value}` as "status.ONLINE")} · {elapsed}
          </span>
        </span>
      </summary>
      <div className="absolute bottom-full left-0 z-20 mb-2 w-60 space-y-3 rounded-lg bg-white p-3 shadow-lg ring-1 ring-gray-200">
        <div className="text-xs text-gray-500">
          {user.email} · {user.roleName}
        </div>
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-gray-700">{t("chatStatus")}</legend>
          <div className="grid grid-cols-2 gap-1">
            {STATUSES.map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={status.value === s}
                onClick={() => setAgentStatus.mutate({ status: s })}
                className={cn("flex items-center gap-1.5 rounded px-2 py-1 text-xs", status.value === s ? "bg-indigo-50 text-indigo-700" : "hover:bg-gray-100")}
              >
                <span className={cn("h-2 w-2 rounded-full", DOT[s])} aria-hidden />
                {t(`status.${s}` as "status.ONLINE")}
              </button>
            ))}
          </div>
        </fieldset>
        <label className="block text-xs font-medium text-gray-700">
          {t("language")}
          <select
            data-testid="language-select"
            className="mt-1 block w-full rounded border-gray-300 text-sm"
            defaultValue={user.language}
            onChange={(e) => update.mutate({ language: e.target.value as (typeof LOCALES)[number] })}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="w-full rounded px-2 py-1.5 text-left text-sm text-gray-700 hover:bg-gray-100" onClick={() => signOut({ callbackUrl: "/signin" })}>
          {t("signOut")}
        </button>
      </div>
    </details>
  );
}
