"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations, useLocale } from "next-intl";
import { useEffect, useState } from "react";
import { useTRPC } from "@/lib/trpc/react";
import { useRealtime } from "@/components/realtime/realtime-provider";
import { brandChannel } from "@/lib/realtime/channels";
import { COCKPIT_EVENTS } from "@/lib/reports/cockpit-events";
import { atMostEvery } from "@/components/realtime/at-most-every";
import { Badge, Card, EmptyState, Skeleton } from "@/components/ui/misc";
import { formatDuration } from "@/components/reports/format";

const STATUS_COLOR = { ONLINE: "green", BREAK: "yellow", INVISIBLE: "gray", OFFLINE: "gray" } as const;

/** A clock for "time in status" and "longest wait": only the display ticks, nothing is fetched. */
function useNow() {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/** R4: live queue and agents, refreshed by realtime events on the brand channels — no polling. */
export function ChatCockpit({ brandId, brandIds }: { brandId?: string; brandIds: string[] }) {
  const t = useTranslations("reports.cockpit");
  const tu = useTranslations("reports.units");
  const tr = useTranslations("reports");
  const locale = useLocale();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { pusher } = useRealtime();
  const now = useNow();
  const query = useQuery({ ...trpc.reports.cockpit.queryOptions({ brandId }), staleTime: Infinity, refetchOnWindowFocus: false });

  const brandKey = brandIds.join(",");
  useEffect(() => {
    if (!pusher) return;
    const key = trpc.reports.cockpit.pathKey();
    // A busy brand changes chats many times a second: refetch at once, then at most once a second.
    const refetch = atMostEvery(1000, () => void qc.invalidateQueries({ queryKey: key }));
    const refresh = () => refetch.request();
    // The desk shell already subscribes to the brand channels; binding to them here adds listeners only.
    const channels = brandKey.split(",").filter(Boolean).map((b) => pusher.channel(brandChannel(b)) ?? pusher.subscribe(brandChannel(b)));
    for (const ch of channels) for (const e of COCKPIT_EVENTS) ch.bind(e, refresh);
    return () => {
      refetch.cancel();
      for (const ch of channels) for (const e of COCKPIT_EVENTS) ch.unbind(e, refresh);
    };
  }, [pusher, brandKey, qc, trpc]);

  const units = { d: tu("d"), h: tu("h"), m: tu("m"), s: tu("s") };
  const since = (d: Date | null) => (d ? formatDuration(Math.max(0, (now - new Date(d).getTime()) / 1000), units) : "—");
  const data = query.data;
  if (query.isPending) return <Card><Skeleton rows={6} /></Card>;
  if (query.isError || !data) return <Card className="p-4 text-sm text-red-700">{query.error?.message ?? tr("empty")}</Card>;
  const online = data.agents.filter((a) => a.status === "ONLINE").length;
  return (
    <div className="space-y-6" data-testid="chat-cockpit">
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4" aria-live="polite">
        <Card className="p-4">
          <div className="text-xs text-gray-500">{t("queue")}</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid="cockpit-queue">{data.queueLength}</div>
        </Card>
        <Card className="p-4">
          <div className="text-xs text-gray-500">{t("longestWait")}</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid="cockpit-longest-wait">{since(data.oldestQueuedAt)}</div>
        </Card>
        <Card className="p-4">
          <div className="text-xs text-gray-500">{t("activeChats")}</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid="cockpit-active">{data.activeChats}</div>
        </Card>
        <Card className="p-4">
          <div className="text-xs text-gray-500">{t("online")}</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid="cockpit-online">{online}</div>
        </Card>
      </div>
      <Card className="p-4">
        <h2 className="mb-2 text-sm font-semibold" id="cockpit-agents">{t("agents")}</h2>
        {data.agents.length === 0 ? (
          <EmptyState title={t("noAgents")} />
        ) : (
          <table className="min-w-full text-sm" aria-labelledby="cockpit-agents">
            <thead>
              <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
                <th scope="col" className="py-1.5 pr-3 font-medium">{t("agent")}</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">{t("status")}</th>
                <th scope="col" className="py-1.5 pr-3 text-right font-medium">{t("timeInStatus")}</th>
                <th scope="col" className="py-1.5 pr-3 text-right font-medium">{t("chats")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {data.agents.map((a) => (
                <tr key={a.id} data-testid="cockpit-agent">
                  <td className="py-1.5 pr-3">{a.name}</td>
                  <td className="py-1.5 pr-3"><Badge color={STATUS_COLOR[a.status]}>{t(`statuses.${a.status}`)}</Badge></td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{since(a.since)}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums" data-testid="cockpit-agent-chats">{a.activeChats}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="mt-2 text-xs text-gray-500">{t("updatedAt", { time: new Intl.DateTimeFormat(locale, { timeStyle: "medium" }).format(new Date(data.at)) })}</p>
      </Card>
    </div>
  );
}
