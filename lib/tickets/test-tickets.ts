import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";

/** For tests: a ticket from a customer's email (with its own Message-ID, as ingest makes it), in its own transaction. */
export function customerEmailTicket(db: Db, s: { brandId: string; subject: string; email: string; name: string; body?: string }) {
  const body = s.body ?? s.subject;
  return db.$transaction((tx) =>
    createTicket(tx, {
      brandId: s.brandId,
      channel: "EMAIL",
      subject: s.subject,
      customer: { email: s.email, name: s.name },
      message: { kind: "CUSTOMER", html: `<p>${body}</p>`, text: body, fromAddress: s.email, emailMessageId: `${randomUUID()}@mail.example.com` },
      actor: CUSTOMER,
    }),
  );
}
