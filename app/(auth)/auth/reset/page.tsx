import { SetPasswordForm } from "@/components/auth/set-password-form";

export default async function ResetPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token = "" } = await searchParams;
  return <SetPasswordForm token={token} mode="reset" />;
}
