import "server-only";
import { textParagraph } from "@/lib/mail/templates/layout";
import type { Db } from "@/lib/db";
import { DomainError, badRequest, notFound } from "@/lib/errors";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { hit } from "@/lib/ratelimit/service";
import { publish } from "@/lib/realtime/publish";
import { brandChannel } from "@/lib/realtime/channels";
import { verifyVisitorToken } from "@/lib/chat/visitor-token";
import type { VisitorMeta } from "@/lib/chat/visitor";


/** C1: nobody is online (or the brand is closed) — the widget leaves a message that becomes a ticket. */
export async function offlineMessage(db: Db, input: { brand: string; token?: string; name: string; email: string; message: string }, meta: VisitorMeta) {
  const brand = await db.brand.findUnique({ where: { slug: input.brand }, select: { id: true } });
  if (!brand) throw notFound("This chat");
  const text = input.message.replace(/\r\n/g, "\n").trim();
  if (!text) throw badRequest("Write a message first.", "message");
  const email = input.email.trim().toLowerCase();
  const limitKey = meta.ip ? `chat:offline-ip:${meta.ip}` : `chat:offline:${email}`;
  const limit = await hit(db, limitKey, 10, 3600);
  if (!limit.allowed) throw new DomainError("TOO_MANY_REQUESTS", `You have sent several messages in a short time. Please wait ${limit.retryAfterSeconds} s and try again.`);
  const claims = verifyVisitorToken(input.token);
  const banned = claims ? await db.visitor.findFirst({ where: { id: claims.visitorId, banned: true }, select: { id: true } }) : null;
  if (banned) throw new DomainError("FORBIDDEN", "Sorry — messages from you are not accepted here.");
  const ticket = await db.$transaction((tx) =>
    createTicket(tx, {
      brandId: brand.id,
      channel: "CHAT",
      subject: `Offline message from ${input.name.trim()}`.slice(0, 200),
      customer: { email, name: input.name.trim() },
      message: { kind: "CUSTOMER", html: textParagraph(text), text, fromAddress: email, fromName: input.name.trim() },
      actor: CUSTOMER,
    }),
  );
  await publish([{ channel: brandChannel(brand.id), event: "ticket.created", data: { id: ticket.id, number: ticket.number, brandId: brand.id, fields: [] } }]);
  return { ticketNumber: ticket.number };
}
