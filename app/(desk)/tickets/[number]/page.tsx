import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { ticketDetail } from "@/lib/tickets/detail";
import { ticketOptions } from "@/lib/tickets/options";
import { TicketView } from "@/components/ticket/ticket-view";

export async function generateMetadata({ params }: { params: Promise<{ number: string }> }) {
  return { title: `#${(await params).number}` };
}

export default async function TicketPage({ params }: { params: Promise<{ number: string }> }) {
  const user = await requirePermission("tickets.view");
  const raw = (await params).number;
  const number = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(number) || number < 1) notFound();
  const detail = await ticketDetail(db, user, number).catch((e) => {
    if (e instanceof DomainError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const options = await ticketOptions(db, user);
  return <TicketView number={number} initial={detail} options={options} me={{ id: user.id, name: user.name, permissions: user.permissions }} />;
}
