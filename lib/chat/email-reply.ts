import "server-only";
import type { Tx } from "@/lib/db";
import type { ParsedEmail } from "@/lib/mail/parse";
import { stripQuotedHistory } from "@/lib/mail/parse/quoted";
import { convertInTx } from "@/lib/chat/convert";
import { CUSTOMER } from "@/lib/tickets/actor";
import { changed, messagePublication } from "@/lib/chat/events";
import { agentFileUrl, messageSelect, toMessageView } from "@/lib/chat/views";
import type { Publication } from "@/lib/realtime/publish";

export type ChatReply = { kind: "chat"; chatId: number; publications: Publication[] } | { kind: "ticket"; ticketId: number } | null;

/**
 * C8: an email answering a relayed chat message. While the chat is open the reply joins it
 * (without the quoted history); a converted chat's ticket takes it; a closed chat becomes a
 * ticket so the answer is never lost. Null when the email does not answer a relay.
 */
export async function routeChatReply(tx: Tx, brandId: string, parsed: Pick<ParsedEmail, "inReplyTo" | "references" | "text">, sender: string, attachmentIds: string[] = []): Promise<ChatReply> {
  const ids = [...new Set([parsed.inReplyTo, ...parsed.references.slice(-50)].filter((x): x is string => !!x))];
  if (!ids.length) return null;
  const log = await tx.emailLog.findFirst({
    where: { emailMessageId: { in: ids }, chatId: { not: null }, chat: { brandId } },
    orderBy: { id: "desc" },
    select: { to: true, chat: { select: { id: true, status: true, ticketId: true, endedAt: true } } },
  });
  const chat = log?.chat;
  if (!chat) return null;
  // Only the person the relay went to can continue the chat by email.
  if (!log.to.some((a) => a.toLowerCase() === sender.toLowerCase())) return null;
  if (chat.ticketId) return { kind: "ticket", ticketId: chat.ticketId };
  if (chat.status === "QUEUED" || chat.status === "ACTIVE") {
    const split = stripQuotedHistory(parsed.text, "text");
    const body = (split.visible.trim() || parsed.text.trim() || "(empty email)").slice(0, 5000);
    const created = await tx.chatMessage.create({ data: { chatId: chat.id, kind: "VISITOR", body }, select: { id: true } });
    if (attachmentIds.length) await tx.attachment.updateMany({ where: { id: { in: attachmentIds } }, data: { chatMessageId: created.id } });
    const m = await tx.chatMessage.findUniqueOrThrow({ where: { id: created.id }, select: messageSelect });
    const c = await tx.chat.update({ where: { id: chat.id }, data: { messageCount: { increment: 1 }, lastMessageAt: new Date() }, select: { brandId: true, status: true } });
    return { kind: "chat", chatId: chat.id, publications: [messagePublication(chat.id, toMessageView(m, agentFileUrl)), changed(chat.id, c.brandId, c.status)] };
  }
  const ticket = await convertInTx(tx, chat.id, sender.toLowerCase(), CUSTOMER);
  return { kind: "ticket", ticketId: ticket.id };
}
