import "server-only";
import { escapeHtml, textParagraph } from "@/lib/mail/templates/layout";
import type { Db, Tx } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { badRequest, notFound } from "@/lib/errors";
import { createTicket } from "@/lib/tickets/create";
import { appendMessage } from "@/lib/tickets/messages";
import { userActor, SYSTEM, type Actor } from "@/lib/tickets/actor";
import { chatUpdatedPublications } from "@/lib/chat/events";
import { publish } from "@/lib/realtime/publish";
import { brandChannel } from "@/lib/realtime/channels";

const time = (d: Date) => d.toISOString().slice(11, 16);

/**
 * C7: the chat becomes a ticket whose first message is the transcript (notes go in as an
 * internal note); the chat links to it. Inside the caller's transaction, so an email reply
 * to a closed chat can open its ticket and land in it atomically.
 */
export async function convertInTx(tx: Tx, chatId: number, email: string, actor: Actor) {
  const chat = await tx.chat.findUniqueOrThrow({
    where: { id: chatId },
    select: {
      id: true,
      brandId: true,
      ticketId: true,
      topicId: true,
      groupId: true,
      assigneeId: true,
      visitorId: true,
      visitor: { select: { name: true, language: true } },
      messages: { orderBy: { id: "asc" }, select: { kind: true, body: true, createdAt: true, author: { select: { name: true } }, attachments: { select: { id: true } } } },
    },
  });
  if (chat.ticketId) return (await tx.ticket.findUniqueOrThrow({ where: { id: chat.ticketId }, select: { id: true, number: true } }));
  const name = chat.visitor.name ?? email;
  const visible = chat.messages.filter((m) => m.kind !== "NOTE");
  const who = (m: (typeof chat.messages)[number]) => (m.kind === "VISITOR" ? name : m.kind === "SYSTEM" ? "—" : (m.author?.name ?? "Agent"));
  const text = [`Chat #${chat.id}`, "", ...visible.map((m) => `[${time(m.createdAt)}] ${who(m)}: ${m.body}`)].join("\n");
  const html = `<p><strong>Chat #${chat.id}</strong></p>${visible.map((m) => `<p><span style="color:#6b7280">[${time(m.createdAt)}]</span> <strong>${escapeHtml(who(m))}</strong>: ${escapeHtml(m.body).replace(/\n/g, "<br>")}</p>`).join("")}`;
  const ticket = await createTicket(tx, {
    brandId: chat.brandId,
    channel: "CHAT",
    subject: `Chat with ${name}`.slice(0, 200),
    customer: { email, name, language: chat.visitor.language },
    message: { kind: "CUSTOMER", html, text, fromAddress: email, fromName: name, attachmentIds: [], createdAt: chat.messages[0]?.createdAt },
    actor,
    topicId: chat.topicId,
    groupId: chat.groupId,
    assigneeId: chat.assigneeId,
  });
  // Files of the chat stay with the chat; the ticket lists them through its transcript message.
  const notes = chat.messages.filter((m) => m.kind === "NOTE");
  if (notes.length) {
    const noteText = notes.map((m) => `[${time(m.createdAt)}] ${m.author?.name ?? "Agent"}: ${m.body}`).join("\n");
    await appendMessage(tx, ticket.id, { kind: "NOTE", html: textParagraph(noteText), text: noteText, authorId: actor.id ?? null });
  }
  await tx.chat.update({ where: { id: chat.id }, data: { ticketId: ticket.id, customerId: ticket.customer.id } });
  await tx.visitor.update({ where: { id: chat.visitorId }, data: { email, customerId: ticket.customer.id } });
  await tx.chatMessage.create({ data: { chatId: chat.id, kind: "SYSTEM", body: `Converted to ticket #${ticket.number}.` } });
  return { id: ticket.id, number: ticket.number };
}

const emailOk = (e: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) && e.length <= 254;

export async function convertChat(db: Db, user: Pick<CurrentUser, "id" | "name" | "brandIds">, input: { id: number; email?: string }) {
  const chat = await db.chat.findUnique({ where: { id: input.id }, select: { id: true, brandId: true, ticketId: true, visitor: { select: { email: true } } } });
  if (!chat || !user.brandIds.includes(chat.brandId)) throw notFound("This chat");
  if (chat.ticketId) return { ticketNumber: (await db.ticket.findUniqueOrThrow({ where: { id: chat.ticketId }, select: { number: true } })).number };
  const email = (input.email?.trim().toLowerCase() || chat.visitor.email || "").trim();
  if (!email) throw badRequest("The visitor left no email address. Enter one to create the ticket.", "email");
  if (!emailOk(email)) throw badRequest("Enter a valid email address.", "email");
  const ticket = await db.$transaction((tx) => convertInTx(tx, chat.id, email, userActor(user)), { timeout: 30_000 });
  await publish([...(await chatUpdatedPublications(db, chat.id)), { channel: brandChannel(chat.brandId), event: "ticket.created", data: { id: ticket.id, number: ticket.number, brandId: chat.brandId, fields: [] } }]);
  return { ticketNumber: ticket.number };
}

export { SYSTEM };
