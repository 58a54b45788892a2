"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { BarChart3, Inbox, MessagesSquare, Settings } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { BrandSwitcher } from "@/components/desk/brand-switcher";
import { UserMenu, type MenuUser } from "@/components/desk/user-menu";
import { canSeeAdmin, NAV_PERMISSIONS } from "@/lib/auth/permissions";
import { LOCALE_COOKIE } from "@/lib/i18n/config";
import { MailboxAlertBanner } from "@/components/mail-admin/mailbox-alert-banner";
import { RealtimeProvider, useRealtime, type RealtimeConfig } from "@/components/realtime/realtime-provider";

export type ShellUser = MenuUser & { permissions: string[] };

export function DeskShell({
  user,
  brands,
  brandId,
  renderedLocale,
  realtime,
  children,
}: {
  user: ShellUser;
  brands: { id: string; name: string; color: string }[];
  brandId: string | null;
  renderedLocale: string;
  realtime: RealtimeConfig;
  children: ReactNode;
}) {
  const t = useTranslations("nav");
  const pathname = usePathname();

  // The profile's language wins: after signing in on a new device the cookie is
  // brought in line once and the page re-rendered in that language.
  useEffect(() => {
    if (user.language !== renderedLocale) {
      document.cookie = `${LOCALE_COOKIE}=${user.language}; Path=/; Max-Age=31536000; SameSite=Lax`;
      window.location.reload();
    }
  }, [user.language, renderedLocale]);

  const items = [
    { href: "/inbox", label: t("inbox"), icon: Inbox, show: user.permissions.includes(NAV_PERMISSIONS.inbox) },
    { href: "/chats", label: t("chats"), icon: MessagesSquare, show: user.permissions.includes(NAV_PERMISSIONS.chats) },
    { href: "/reports", label: t("reports"), icon: BarChart3, show: user.permissions.includes(NAV_PERMISSIONS.reports) },
    { href: "/admin", label: t("admin"), icon: Settings, show: canSeeAdmin(user.permissions) },
  ].filter((i) => i.show);

  return (
    <RealtimeProvider config={realtime} brandIds={brands.map((b) => b.id)} userId={user.id}>
    <div className="flex h-full">
      <aside className="flex w-56 shrink-0 flex-col border-r border-gray-200 bg-white">
        <div className="border-b border-gray-200 p-3">
          <BrandSwitcher brands={brands} brandId={brandId} />
        </div>
        <nav aria-label={t("main")} className="flex-1 space-y-1 p-2" data-testid="main-nav">
          {items.map(({ href, label, icon: Icon }) => {
            const active = pathname === href || pathname.startsWith(`${href}/`);
            return (
              <Link
                key={href}
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium",
                  active ? "bg-indigo-50 text-indigo-700" : "text-gray-700 hover:bg-gray-100",
                )}
              >
                <Icon className="h-4 w-4" aria-hidden />
                {label}
              </Link>
            );
          })}
        </nav>
        <div className="border-t border-gray-200 p-2">
          <LiveIndicator />
          <UserMenu user={user} />
        </div>
      </aside>
      <main className="min-w-0 flex-1 overflow-auto">
        {user.permissions.includes("admin.mailboxes") && <MailboxAlertBanner />}
        {children}
      </main>
    </div>
    </RealtimeProvider>
  );
}

/** Tells the agent whether the screen is live or catching up after a disconnect. */
function LiveIndicator() {
  const t = useTranslations("nav");
  const { state } = useRealtime();
  const live = state === "connected";
  return (
    <div className="flex items-center gap-1.5 px-2 pb-1 text-xs text-gray-500" data-testid="live-indicator" data-state={state}>
      <span className={cn("h-1.5 w-1.5 rounded-full", live ? "bg-green-500" : "bg-amber-400")} aria-hidden />
      {live ? t("live") : t("reconnecting")}
    </div>
  );
}
