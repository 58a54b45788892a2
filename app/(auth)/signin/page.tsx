import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getCurrentUser } from "@/lib/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("signIn") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (await getCurrentUser()) redirect("/inbox");
  const sp = await searchParams;
  return <SignInForm initialError={sp.error ?? null} callbackUrl={sp.callbackUrl?.startsWith("/") ? sp.callbackUrl : "/inbox"} />;
}
