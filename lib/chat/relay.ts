import "server-only";
import { textParagraph } from "@/lib/mail/templates/layout";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { chatSettings } from "@/lib/chat/settings";
import { Prisma } from "@/lib/generated/prisma/client";
import { SETTINGS } from "@/lib/settings/service";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate, senderFor } from "@/lib/mail/templates/render";


/**
 * C8: a check at the exact moment an agent message becomes "unseen for too long". One job
 * per chat; a later message keeps the earlier run time, and the run reschedules itself for
 * messages that are not due yet.
 */
export function relayJobSql(chatId: number, runAt: Prisma.Sql) {
  return Prisma.sql`graphile_worker.add_job('chat_relay', ${JSON.stringify({ chatId })}::json, run_at := ${runAt}, job_key := ${`chat_relay:${chatId}`}, job_key_mode := 'preserve_run_at', max_attempts := 5)`;
}

/** When a relay job for a message written now is due, read from the setting inside the statement that writes it. */
export const relayDueSql = Prisma.sql`now() + make_interval(secs => COALESCE((SELECT (value #>> '{}')::int FROM "Setting" WHERE key = 'chat.relayDelaySeconds'), ${SETTINGS["chat.relayDelaySeconds"].parse(undefined)}))`;

export async function scheduleRelay(tx: Tx, chatId: number, at: Date) {
  await tx.$executeRaw`SELECT ${relayJobSql(chatId, Prisma.sql`${at}`)}`;
}

/** Emails the visitor the agent messages they have not seen, so they can answer by email. */
export async function runRelay(db: Db, payload: unknown): Promise<{ relayed: number }> {
  const chatId = Number((payload as { chatId?: unknown } | null)?.chatId);
  if (!Number.isInteger(chatId)) return { relayed: 0 };
  const s = await chatSettings(db);
  const due = new Date(Date.now() - s.relayDelaySeconds * 1000 + 500);
  return db.$transaction(async (tx) => {
    // Serialise with other runs for this chat (retries, overlapping workers).
    await tx.$queryRaw`SELECT id FROM "Chat" WHERE id = ${chatId} FOR UPDATE`;
    const chat = await tx.chat.findUnique({
      where: { id: chatId },
      select: { id: true, brandId: true, brand: { select: { name: true } }, visitor: { select: { name: true, email: true, language: true } } },
    });
    if (!chat) return { relayed: 0 };
    const pending = await tx.chatMessage.findMany({
      where: { chatId, kind: "AGENT", seenAt: null, relayedAt: null },
      orderBy: { id: "asc" },
      select: { id: true, body: true, createdAt: true, author: { select: { name: true } } },
    });
    const ready = pending.filter((m) => m.createdAt <= due);
    const later = pending.find((m) => m.createdAt > due);
    if (later) await scheduleRelay(tx, chatId, new Date(later.createdAt.getTime() + s.relayDelaySeconds * 1000));
    if (!ready.length) return { relayed: 0 };
    const to = chat.visitor.email;
    const now = new Date();
    // Without an address there is nobody to email: mark them so they are not retried forever.
    if (!to) {
      await tx.chatMessage.updateMany({ where: { id: { in: ready.map((m) => m.id) } }, data: { relayedAt: now } });
      return { relayed: 0 };
    }
    const agentName = ready.at(-1)!.author?.name ?? chat.brand.name;
    const mailbox = await tx.mailbox.findFirst({ where: { brandId: chat.brandId, active: true }, orderBy: { createdAt: "asc" }, select: { name: true, address: true } });
    const text = ready.map((m) => m.body).join("\n\n");
    const rendered = await renderTemplate(tx, {
      key: "chat_relay",
      language: chat.visitor.language,
      brandId: chat.brandId,
      vars: { "customer.name": chat.visitor.name ?? "", "agent.name": agentName, "brand.name": chat.brand.name },
      message: { html: ready.map((m) => textParagraph(m.body)).join(""), text },
    });
    const emailMessageId = `${randomUUID()}@${env.MAIL_MESSAGE_ID_DOMAIN}`;
    await enqueueEmail(tx, {
      to: [to],
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      purpose: "CHAT_RELAY",
      chatId,
      emailMessageId,
      from: mailbox ? await senderFor(tx, chat.brandId, mailbox, agentName) : undefined,
      replyTo: mailbox?.address,
      mailboxId: undefined,
    });
    await tx.chatMessage.updateMany({ where: { id: { in: ready.map((m) => m.id) } }, data: { relayedAt: now } });
    return { relayed: ready.length };
  });
}
