import { MagicLinkConfirm } from "@/components/auth/magic-link-confirm";

// The link only signs in after a click: mail scanners that fetch links must not use it up.
export default async function MagicPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return <MagicLinkConfirm token={token ?? ""} />;
}
