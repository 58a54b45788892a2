import "server-only";
import { getLocale, getTranslations } from "next-intl/server";
import type { Units } from "@/components/reports/format";

/** Shared labels of every report page: units, column headers, comparison wording. */
export async function reportLabels() {
  const [t, locale] = await Promise.all([getTranslations("reports"), getLocale()]);
  const units: Units = { d: t("units.d"), h: t("units.h"), m: t("units.m"), s: t("units.s") };
  const columnIds = [
    "day", "created", "resolved", "backlog", "key", "name", "tickets", "ticketsHandled", "replies", "firstResponses",
    "firstResponseMedian", "firstResponseP90", "firstResponseBusinessMedian", "firstResponseBusinessP90",
    "resolutionMedian", "resolutionP90", "resolutionBusinessMedian", "resolutionBusinessP90", "reopened", "reopenRate",
    "chats", "missed", "rating", "met", "breached", "metRate", "firstResponseBreached", "resolutionBreached",
    "number", "subject", "priority", "target", "dueAt", "assignee",
  ] as const;
  const headers = Object.fromEntries(columnIds.map((id) => [id, t(`columns.${id}`)]));
  return { t, locale, units, headers };
}
