import { requirePermission } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { ticketOptions } from "@/lib/tickets/options";
import { NewTicketForm } from "@/components/ticket/new-ticket-form";

export default async function NewTicketPage() {
  const user = await requirePermission("tickets.create");
  const options = await ticketOptions(db, user);
  return <NewTicketForm options={options} meId={user.id} />;
}
