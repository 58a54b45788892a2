"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { cn } from "@/components/ui/cn";

const TABS = ["tickets", "agents", "chats", "sla", "cockpit", "definitions"] as const;

/** Report sections; the filters in the URL travel with the user from one to the next. */
export function ReportTabs() {
  const t = useTranslations("reports.tabs");
  const pathname = usePathname();
  const query = useSearchParams().toString();
  return (
    <nav aria-label={t("label")} className="mb-4 flex gap-1 border-b border-gray-200" data-testid="report-tabs">
      {TABS.map((tab) => {
        const href = `/reports/${tab}`;
        const active = pathname === href || (tab === "tickets" && pathname === "/reports");
        return (
          <Link
            key={tab}
            href={tab === "cockpit" || tab === "definitions" || !query ? href : `${href}?${query}`}
            aria-current={active ? "page" : undefined}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm font-medium", active ? "border-indigo-600 text-indigo-700" : "border-transparent text-gray-600 hover:text-gray-900")}
          >
            {t(tab)}
          </Link>
        );
      })}
    </nav>
  );
}
