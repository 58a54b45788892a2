import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { canSeeAdmin, type Permission } from "@/lib/auth/permissions";
import { Card, PageHeader } from "@/components/ui/misc";

const SECTIONS: { href: string; key: "users" | "roles" | "groups" | "brands" | "emailLog" | "catalog" | "webhooks" | "businessHours" | "contactForm" | "sla" | "rules"; permission: Permission }[] = [
  { href: "/admin/users", key: "users", permission: "admin.users" },
  { href: "/admin/roles", key: "roles", permission: "admin.roles" },
  { href: "/admin/groups", key: "groups", permission: "admin.groups" },
  { href: "/admin/brands", key: "brands", permission: "admin.brands" },
  { href: "/admin/email-log", key: "emailLog", permission: "admin.messages" },
  { href: "/admin/catalog", key: "catalog", permission: "admin.settings" },
  { href: "/admin/business-hours", key: "businessHours", permission: "admin.settings" },
  { href: "/admin/sla", key: "sla", permission: "admin.settings" },
  { href: "/admin/contact-form", key: "contactForm", permission: "admin.brands" },
  { href: "/admin/rules", key: "rules", permission: "admin.automations" },
  { href: "/admin/webhooks", key: "webhooks", permission: "admin.automations" },
];

const MAIL_SECTIONS: { href: string; key: "mailboxes" | "filter" | "templates"; permission: Permission }[] = [
  { href: "/admin/mailboxes", key: "mailboxes", permission: "admin.mailboxes" },
  { href: "/admin/email-filter", key: "filter", permission: "admin.mailboxes" },
  { href: "/admin/templates", key: "templates", permission: "admin.settings" },
];

export default async function AdminIndex() {
  const user = await requireUser();
  if (!canSeeAdmin(user.permissions)) forbidden();
  const t = await getTranslations("admin");
  const tm = await getTranslations("mailAdmin.sections");
  return (
    <div className="p-6">
      <PageHeader title={t("title")} />
      <div className="grid gap-4 md:grid-cols-3">
        {SECTIONS.filter((s) => user.permissions.includes(s.permission)).map((s) => (
          <Link key={s.href} href={s.href}>
            <Card className="p-4 hover:ring-indigo-300">
              <div className="font-medium">{t(`${s.key}.title`)}</div>
              <div className="mt-1 text-sm text-gray-500">{t(`${s.key}.description`)}</div>
            </Card>
          </Link>
        ))}
        {MAIL_SECTIONS.filter((s) => user.permissions.includes(s.permission)).map((s) => (
          <Link key={s.href} href={s.href}>
            <Card className="p-4 hover:ring-indigo-300">
              <div className="font-medium">{tm(`${s.key}.title`)}</div>
              <div className="mt-1 text-sm text-gray-500">{tm(`${s.key}.description`)}</div>
            </Card>
          </Link>
        ))}
      </div>
    </div>
  );
}
