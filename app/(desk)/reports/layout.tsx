import type { ReactNode } from "react";
import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { PageHeader } from "@/components/ui/misc";
import { ReportTabs } from "@/components/reports/report-tabs";

export default async function ReportsLayout({ children }: { children: ReactNode }) {
  await requirePermission("reports.view");
  const t = await getTranslations("reports");
  return (
    <div className="h-full overflow-y-auto p-6">
      <PageHeader title={t("title")} description={t("description")} />
      <Suspense>
        <ReportTabs />
      </Suspense>
      {children}
    </div>
  );
}
