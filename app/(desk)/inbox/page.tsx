import { getTranslations } from "next-intl/server";
import { requirePermission } from "@/lib/auth/guard";
import { selectedBrandId } from "@/lib/brands/current";
import { db } from "@/lib/db";
import { filtersFromParams } from "@/lib/tickets/filters";
import { listTickets } from "@/lib/tickets/list";
import { ticketOptions } from "@/lib/tickets/options";
import { InboxView } from "@/components/inbox/inbox-view";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("inbox") };
}

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePermission("tickets.view");
  const { filters, errors } = filtersFromParams(await searchParams);
  const brandId = await selectedBrandId(user);
  if (!filters.brandId && brandId) filters.brandId = brandId;
  // The first page renders on the server: the inbox is usable before any script runs.
  const [first, options] = await Promise.all([
    listTickets(db, { filters, userId: user.id, brandIds: user.brandIds, limit: 50 }),
    ticketOptions(db, user),
  ]);
  return <InboxView initialFilters={filters} initialPage={first} filterErrors={errors} options={options} me={{ id: user.id, permissions: user.permissions }} />;
}
