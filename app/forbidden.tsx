import { getTranslations } from "next-intl/server";
import Link from "next/link";

export default async function Forbidden() {
  const t = await getTranslations("errors");
  return (
    <div className="flex min-h-full flex-col items-center justify-center gap-3 p-12 text-center" data-testid="forbidden">
      <h1 className="text-lg font-semibold">{t("forbiddenTitle")}</h1>
      <p className="text-sm text-gray-500">{t("forbiddenBody")}</p>
      <Link href="/inbox" className="text-sm text-indigo-600 hover:underline">
        {t("backHome")}
      </Link>
    </div>
  );
}
