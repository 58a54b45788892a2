import { getTranslations } from "next-intl/server";
import { METRICS } from "@/lib/reports/definitions";
import { Card } from "@/components/ui/misc";

export default async function DefinitionsPage() {
  const t = await getTranslations("reports.definitions");
  return (
    <Card className="max-w-3xl p-6" >
      <p className="mb-4 text-sm text-gray-600">{t("intro")}</p>
      <dl className="space-y-4" data-testid="definitions">
        {METRICS.map((m) => (
          <div key={m} id={m}>
            <dt className="text-sm font-semibold text-gray-900">{t(`${m}.title`)}</dt>
            <dd className="mt-1 text-sm text-gray-700">{t(`${m}.body`)}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
