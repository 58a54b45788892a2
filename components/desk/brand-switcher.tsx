"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";

export function BrandSwitcher({ brands, brandId }: { brands: { id: string; name: string; color: string }[]; brandId: string | null }) {
  const t = useTranslations("nav");
  const router = useRouter();
  const current = brands.find((b) => b.id === brandId);
  return (
    <label className="flex items-center gap-2">
      <span className="h-3 w-3 shrink-0 rounded-full" style={{ background: current?.color ?? "#9ca3af" }} aria-hidden />
      <span className="sr-only">{t("brand")}</span>
      <select
        data-testid="brand-switcher"
        className="w-full truncate rounded-md border-0 bg-transparent py-1 text-sm font-semibold text-gray-900 focus:ring-2 focus:ring-indigo-600"
        value={brandId ?? ""}
        onChange={(e) => {
          document.cookie = `rd-brand=${e.target.value}; Path=/; Max-Age=31536000; SameSite=Lax`;
          router.refresh();
        }}
      >
        <option value="">{t("allBrands")}</option>
        {brands.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
      </select>
    </label>
  );
}
