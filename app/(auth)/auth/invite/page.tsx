import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { SetPasswordForm } from "@/components/auth/set-password-form";
import { Alert } from "@/components/ui/misc";
import { db } from "@/lib/db";
import { invitationInfo } from "@/lib/users/account";

export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token = "" } = await searchParams;
  const t = await getTranslations("auth");
  const info = token ? await invitationInfo(db, { token }) : null;
  if (!info) {
    return (
      <div className="space-y-4">
        <Alert testId="invite-invalid">{t("inviteInvalid")}</Alert>
        <Link href="/signin" className="text-sm text-indigo-600 hover:underline">
          {t("backToSignIn")}
        </Link>
      </div>
    );
  }
  return <SetPasswordForm token={token} mode="invite" email={info.email} />;
}
