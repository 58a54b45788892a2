"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/react";
import type { TicketOptions } from "@/components/inbox/types";
import { TicketHeader } from "@/components/ticket/ticket-header";
import { Timeline } from "@/components/ticket/timeline";
import { Composer } from "@/components/ticket/composer";
import { CustomerPanel } from "@/components/ticket/customer-panel";
import { Alert } from "@/components/ui/misc";
import { useTranslations } from "next-intl";
import Link from "next/link";
import type { Me, TicketDetail } from "@/components/ticket/types";
import { PresenceBar, useTicketPresence } from "@/components/ticket/presence";

export function TicketView({ number, initial, options, me }: { number: number; initial: TicketDetail; options: TicketOptions; me: Me }) {
  const t = useTranslations("ticketPage");
  const trpc = useTRPC();
  const q = useQuery(trpc.tickets.get.queryOptions({ number }, { initialData: initial }));
  const d = q.data ?? initial;
  const merged = d.ticket.mergedInto?.number;
  const presence = useTicketPresence(d.ticket.id, me.id);
  return (
    <div className="flex h-full">
      <div className="flex min-w-0 flex-1 flex-col">
        <TicketHeader detail={d} options={options} me={me} />
        <PresenceBar others={presence.others} typing={presence.typing} />
        <div className="min-h-0 flex-1 overflow-auto bg-gray-50 px-6 py-4">
          {merged && (
            <div className="mb-3">
              <Alert tone="info" testId="merged-banner">
                {t("mergedInto")} <Link className="font-medium underline" href={`/tickets/${merged}`}>#{merged}</Link>
              </Alert>
            </div>
          )}
          {d.ticket.linkedTo && (
            <p className="mb-3 text-sm text-gray-500">
              {t("followUpOf")} <Link className="text-indigo-600 hover:underline" href={`/tickets/${d.ticket.linkedTo.number}`}>#{d.ticket.linkedTo.number}</Link>
            </p>
          )}
          <Timeline detail={d} number={number} options={options} canSplit={me.permissions.includes("tickets.merge")} />
        </div>
        {!merged && d.ticket.status !== "CLOSED" && me.permissions.includes("tickets.reply") && <Composer detail={d} number={number} me={me} onTyping={() => presence.notifyTyping(me.name)} />}
      </div>
      <CustomerPanel detail={d} number={number} canEdit={me.permissions.includes("customers.edit")} />
    </div>
  );
}
