"use client";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { LOCALE_COOKIE, LOCALE_NAMES, LOCALES } from "@/lib/i18n/config";

/** Before sign-in the choice lives in a cookie; after sign-in it is saved on the profile. */
export function LanguagePicker() {
  const locale = useLocale();
  const router = useRouter();
  const t = useTranslations("common");
  return (
    <label className="flex items-center gap-2 text-sm text-gray-500">
      <span>{t("language")}</span>
      <select
        className="rounded border-gray-300 bg-transparent text-sm"
        value={locale}
        data-testid="auth-language"
        onChange={(e) => {
          document.cookie = `${LOCALE_COOKIE}=${e.target.value}; Path=/; Max-Age=31536000; SameSite=Lax`;
          router.refresh();
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
