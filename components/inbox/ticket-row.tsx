"use client";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { FileText, Headset, Mail, MessageSquare } from "lucide-react";
import { Badge } from "@/components/ui/misc";
import { cn } from "@/components/ui/cn";
import { SlaBadge } from "@/components/ticket/sla-badge";
import type { TicketRow } from "@/components/inbox/types";

const CHANNEL_ICON = { EMAIL: Mail, CHAT: MessageSquare, FORM: FileText, AGENT: Headset } as const;
export const STATUS_COLOR = { OPEN: "blue", PENDING: "yellow", RESOLVED: "green", CLOSED: "gray" } as const;
export const PRIORITY_COLOR = { LOWEST: "gray", LOW: "gray", MEDIUM: "indigo", HIGH: "yellow", HIGHEST: "red" } as const;

export function TicketListRow({ ticket: tk, index, focused, selected, onFocus, onToggle }: { ticket: TicketRow; index: number; focused: boolean; selected: boolean; onFocus: () => void; onToggle: () => void }) {
  const t = useTranslations("inbox");
  const ts = useTranslations("ticket");
  const format = useFormatter();
  const Icon = CHANNEL_ICON[tk.channel];
  return (
    <li
      data-testid="ticket-row"
      data-row-index={index}
      data-number={tk.number}
      aria-selected={selected}
      aria-current={focused ? "true" : undefined}
      onMouseEnter={onFocus}
      className={cn("relative flex h-12 items-center gap-3 px-4 text-sm", focused && "bg-indigo-50/60", selected && "bg-indigo-50")}
    >
      {focused && <span className="absolute inset-y-0 left-0 w-0.5 bg-indigo-500" aria-hidden />}
      <input type="checkbox" checked={selected} onChange={onToggle} aria-label={t("selectTicket", { number: tk.number })} />
      <Icon className="h-4 w-4 shrink-0 text-gray-400" aria-label={ts(`channel.${tk.channel}`)} />
      <span className={cn("w-40 shrink-0 truncate", tk.unread ? "font-semibold text-gray-900" : "text-gray-700")}>{tk.customer.name ?? tk.customer.email ?? "—"}</span>
      <Link href={`/tickets/${tk.number}`} className="min-w-0 flex-1 truncate" data-testid="ticket-link">
        {tk.unread && <span className="mr-1.5 inline-block h-2 w-2 rounded-full bg-indigo-500 align-middle" aria-label={t("updated")} />}
        <span className={tk.unread ? "font-semibold text-gray-900" : "text-gray-900"}>
          <span className="text-gray-400">#{tk.number}</span> {tk.subject}
        </span>
        <span className="text-gray-400"> — {tk.snippet}</span>
      </Link>
      <span className="hidden shrink-0 gap-1 xl:flex">
        {tk.tags.slice(0, 2).map((tag) => (
          <Badge key={tag}>{tag}</Badge>
        ))}
      </span>
      <Badge color={STATUS_COLOR[tk.status]} className="w-20 shrink-0 justify-center">{ts(`status.${tk.status}`)}</Badge>
      <Badge color={PRIORITY_COLOR[tk.priority]} className="w-20 shrink-0 justify-center">{ts(`priority.${tk.priority}`)}</Badge>
      <SlaBadge sla={tk.sla} compact />
      <span className="w-28 shrink-0 truncate text-gray-500">{tk.assignee?.name ?? t("unassigned")}</span>
      <span className="w-6 shrink-0 text-right text-xs text-gray-400" title={t("messages")}>{tk.messageCount}</span>
      <time className="w-24 shrink-0 text-right text-xs text-gray-500" dateTime={new Date(tk.updatedAt).toISOString()}>
        {format.relativeTime(new Date(tk.updatedAt))}
      </time>
    </li>
  );
}
