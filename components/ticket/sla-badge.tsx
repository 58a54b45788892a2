"use client";
import { useFormatter, useTranslations } from "next-intl";
import { Timer } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { SlaSummary } from "@/lib/sla/summary";

const STYLE = { ok: "bg-gray-100 text-gray-700", at_risk: "bg-amber-100 text-amber-900", breached: "bg-red-100 text-red-800", paused: "bg-gray-100 text-gray-500" } as const;

/** The running SLA target: time left (or overdue), at risk, or paused while waiting on the customer. */
export function SlaBadge({ sla, compact = false }: { sla: SlaSummary; compact?: boolean }) {
  const t = useTranslations("sla");
  const format = useFormatter();
  if (!sla) return compact ? <span className="w-24 shrink-0" aria-hidden /> : null;
  const due = sla.dueAt ? new Date(sla.dueAt) : null;
  const label = sla.state === "paused" ? t("paused") : sla.state === "breached" ? t("overdue", { when: format.relativeTime(due!) }) : t("due", { when: format.relativeTime(due!) });
  return (
    <span
      className={cn("inline-flex shrink-0 items-center gap-1 truncate rounded px-1.5 py-0.5 text-xs font-medium", STYLE[sla.state], compact && "w-24")}
      title={`${t(`target.${sla.target}`)} · ${t(`state.${sla.state}`)}${due ? ` · ${format.dateTime(due, { dateStyle: "medium", timeStyle: "short" })}` : ""}`}
      data-testid="sla-badge"
      data-state={sla.state}
    >
      <Timer className="h-3 w-3 shrink-0" aria-hidden />
      <span className="truncate">{compact ? label : `${t(`target.${sla.target}`)}: ${label}`}</span>
    </span>
  );
}
