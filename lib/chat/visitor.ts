import "server-only";
import type { Db, Tx } from "@/lib/db";
import { DomainError, badRequest, forbidden, notFound } from "@/lib/errors";
import type { ChatMessageView, VisitorChatView } from "@/lib/chat/types";
import { signVisitorToken, verifyVisitorToken } from "@/lib/chat/visitor-token";
import { messageSelect, messagesJson, toMessageView, visitorFileUrl, withFileUrls, type MessageJson } from "@/lib/chat/views";
import { chatAgentsWhere, chatSettings } from "@/lib/chat/settings";
import { describeUserAgent } from "@/lib/chat/user-agent";
import { changed, chatUpdatedPublications, messagePublication, noteActivity, requestDrain, withChatLines } from "@/lib/chat/events";
import { countHit, hit, retryAfter } from "@/lib/ratelimit/service";
import { publish } from "@/lib/realtime/publish";
import { chatChannel } from "@/lib/realtime/channels";
import { customerCte } from "@/lib/customers/match";
import { isOpen } from "@/lib/sla/business-hours";
import type { BusinessHours } from "@/lib/sla/schedule-schema";
import { Prisma, type ChatStatus } from "@/lib/generated/prisma/client";
import { settingValue } from "@/lib/settings/service";

export const CHAT_LIMITS = { bodyChars: 5000, attachments: 5, imageBytes: 10 * 1024 * 1024, messagesPerMinute: 30, startsPerHour: 10, startsPerIpPerHour: 100 };

export type VisitorMeta = { ip: string | null; userAgent: string | null };

const invalidSession = () => new DomainError("UNAUTHORIZED", "This chat session is not valid any more. Reload the page to start again.");
const tooMany = (what: string, seconds: number) => new DomainError("TOO_MANY_REQUESTS", `${what} Please wait ${seconds} s and try again.`);

async function brandBySlug(db: Tx, slug: string) {
  const brand = await db.brand.findUnique({ where: { slug }, select: { id: true, name: true, color: true, logoUrl: true, businessHours: { select: { timezone: true, schedule: true, holidays: true } } } });
  if (!brand) throw notFound("This chat");
  return brand;
}

/** The visitor behind a token, or a polite refusal; a forged or foreign token never matches. */
export async function visitorFromToken(db: Tx, token: string) {
  const claims = verifyVisitorToken(token);
  if (!claims) throw invalidSession();
  const visitor = await db.visitor.findUnique({ where: { id: claims.visitorId }, select: { id: true, brandId: true, name: true, email: true, banned: true, customerId: true } });
  if (!visitor || visitor.brandId !== claims.brandId) throw invalidSession();
  return visitor;
}

/** The visitor's own chat, in one statement (it precedes every widget action). */
async function ownChat(db: Tx, token: string, chatId: number) {
  const claims = verifyVisitorToken(token);
  if (!claims) throw invalidSession();
  const [row] = await db.$queryRaw<
    { vId: string | null; vBrandId: string | null; name: string | null; email: string | null; banned: boolean | null; customerId: string | null; id: number | null; brandId: string; visitorId: string; status: string; endedAt: Date | null; rating: number | null }[]
  >`
    SELECT v.id AS "vId", v."brandId" AS "vBrandId", v.name, v.email, v.banned, v."customerId",
      c.id, c."brandId", c."visitorId", c.status::text AS status, c."endedAt", c.rating
    FROM "Visitor" v LEFT JOIN "Chat" c ON c.id = ${chatId}
    WHERE v.id = ${claims.visitorId}`;
  if (!row || row.vBrandId !== claims.brandId) throw invalidSession();
  const visitor = { id: row.vId!, brandId: row.vBrandId, name: row.name, email: row.email, banned: !!row.banned, customerId: row.customerId };
  // Another visitor's chat looks exactly like a missing one.
  if (row.id === null || row.visitorId !== visitor.id) throw notFound("This chat");
  const chat = { id: row.id, brandId: row.brandId, visitorId: row.visitorId, status: row.status as ChatStatus, endedAt: row.endedAt, rating: row.rating };
  return { visitor, chat };
}

/** What the widget shows of a chat, in one statement (it answers every widget session and start). */
export async function visitorChatView(db: Tx, chatId: number, token: string): Promise<VisitorChatView> {
  const [c] = await db.$queryRaw<
    { id: number; status: ChatStatus; endedAt: Date | null; rating: number | null; agentName: string | null; agentStatus: string | null; queuePosition: number | null; messages: MessageJson[] }[]
  >`
    SELECT c.id, c.status::text AS status, c."endedAt", c.rating, a.name AS "agentName", a."agentStatus"::text AS "agentStatus",
      CASE WHEN c.status = 'QUEUED' THEN
        (SELECT count(*)::int FROM "Chat" q WHERE q."brandId" = c."brandId" AND q.status = 'QUEUED' AND q."endedAt" IS NULL AND q."queuedAt" <= c."queuedAt")
      END AS "queuePosition",
      ${messagesJson(Prisma.sql`c.id`, { notes: false, limit: 500 })} AS messages
    FROM "Chat" c LEFT JOIN "User" a ON a.id = c."assigneeId"
    WHERE c.id = ${chatId}`;
  if (!c) throw notFound("This chat");
  const fileUrl = visitorFileUrl(token);
  return {
    id: c.id,
    status: c.status,
    agent: c.agentName !== null ? { name: c.agentName, status: c.agentStatus! } : null,
    queuePosition: c.status === "QUEUED" ? c.queuePosition : null,
    endedAt: c.endedAt?.toISOString() ?? null,
    rating: c.rating,
    messages: withFileUrls(c.messages, fileUrl),
  };
}

/** Whether the brand is open and someone is at the desk to answer a chat. */
export async function brandIsAvailable(db: Tx, brand: { id: string; businessHours: unknown }) {
  const hours = brand.businessHours as BusinessHours | null;
  if (hours) {
    try {
      if (!isOpen(hours, new Date())) return false;
    } catch {
      // A broken schedule must not hide the chat.
    }
  }
  const s = await chatSettings(db);
  const seenSince = new Date(Date.now() - s.offlineAfterMinutes * 60_000);
  // Someone is at the desk (Online, or Invisible / on a break and back soon): the chat queues
  // for them. Only when nobody is there does the widget offer the offline form.
  const online = await db.user.count({ where: chatAgentsWhere([brand.id], { statuses: ["ONLINE", "INVISIBLE", "BREAK"], seenSince }) });
  return online > 0;
}

export async function widgetConfig(db: Db, input: { brand: string }) {
  const brand = await brandBySlug(db, input.brand);
  const s = await chatSettings(db);
  return { brandName: brand.name, color: brand.color, logoUrl: brand.logoUrl, online: await brandIsAvailable(db, brand), nameRequired: s.nameRequired, emailRequired: s.emailRequired };
}

/**
 * Opens (or resumes) the widget: a valid token of this brand keeps its visitor; anything
 * else gets a new visitor. The open chat comes back with it — queued, active, or ended
 * and waiting for its rating.
 */
export async function visitorSession(db: Db, input: { brand: string; token?: string; language?: string }, meta: VisitorMeta) {
  const claims = verifyVisitorToken(input.token);
  const ua = describeUserAgent(meta.userAgent);
  const userAgent = meta.userAgent?.slice(0, 500) ?? null;
  // The brand, the returning visitor marked as seen, and their chat to show again, in one
  // round trip: open, or ended in the last 30 minutes and not rated yet.
  const [found] = await db.$queryRaw<{ brandId: string; known: string | null; openChatId: number | null }[]>`
    WITH b AS (SELECT id FROM "Brand" WHERE slug = ${input.brand}),
      v AS (
        UPDATE "Visitor" SET "lastSeenAt" = now(), ip = ${meta.ip}, "userAgent" = ${userAgent}, browser = ${ua.browser}, os = ${ua.os}
        WHERE id = ${claims?.visitorId ?? null} AND "brandId" = ${claims?.brandId ?? null} AND "brandId" = (SELECT id FROM b)
        RETURNING id)
    SELECT b.id AS "brandId", (SELECT id FROM v) AS known,
      (SELECT c.id FROM "Chat" c WHERE c."visitorId" = (SELECT id FROM v)
         AND ((c.status IN ('QUEUED', 'ACTIVE') AND c."endedAt" IS NULL)
           OR (c.rating IS NULL AND (c."endedAt" >= now() - interval '30 minutes' OR c."resolvedAt" >= now() - interval '30 minutes')))
       ORDER BY c.id DESC LIMIT 1) AS "openChatId"
    FROM b`;
  if (!found) throw notFound("This chat");
  if (!found.known) {
    // A new visitor has no chats yet.
    const created = await db.visitor.create({
      data: { brandId: found.brandId, language: input.language?.slice(0, 10) ?? null, lastSeenAt: new Date(), ip: meta.ip, userAgent, browser: ua.browser, os: ua.os },
      select: { id: true },
    });
    return { token: signVisitorToken(created.id, found.brandId), chat: null };
  }
  const token = signVisitorToken(found.known, found.brandId);
  return { token, chat: found.openChatId !== null ? await visitorChatView(db, found.openChatId, token) : null };
}

const clean = (s: string) => s.replace(/\r\n/g, "\n").trim();

function checkBody(body: string) {
  const text = clean(body);
  if (!text) throw badRequest("Write a message first.", "body");
  if (text.length > CHAT_LIMITS.bodyChars) throw badRequest(`Messages can be at most ${CHAT_LIMITS.bodyChars} characters.`, "body");
  return text;
}

/** C1/C3: a new chat enters the brand's queue and is given to an agent at once when one has room. */
export async function startChat(db: Db, input: { token: string; name?: string; email?: string; message: string; page?: { url: string; title?: string } }, meta: VisitorMeta) {
  const claims = verifyVisitorToken(input.token);
  if (!claims) throw invalidSession();
  // The visitor, their open chat and the pre-chat form's settings in one round trip.
  const [visitor] = await db.$queryRaw<{ id: string; brandId: string; name: string | null; email: string | null; banned: boolean; customerId: string | null; openChatId: number | null; settings: Record<string, unknown> | null }[]>`
    SELECT v.id, v."brandId", v.name, v.email, v.banned, v."customerId",
      (SELECT c.id FROM "Chat" c WHERE c."visitorId" = v.id AND c.status IN ('QUEUED', 'ACTIVE') AND c."endedAt" IS NULL ORDER BY c.id DESC LIMIT 1) AS "openChatId",
      (SELECT json_object_agg(key, value) FROM "Setting" WHERE key IN ('chat.nameRequired', 'chat.emailRequired')) AS settings
    FROM "Visitor" v WHERE v.id = ${claims.visitorId}`;
  if (!visitor || visitor.brandId !== claims.brandId) throw invalidSession();
  if (visitor.banned) throw forbidden("Sorry — chat is not available to you. You can still write to us by email.");
  const text = checkBody(input.message);
  const name = input.name?.trim() || visitor.name || null;
  const email = input.email?.trim().toLowerCase() || visitor.email || null;
  if (settingValue("chat.nameRequired", visitor.settings?.["chat.nameRequired"]) && !name) throw badRequest("Please tell us your name.", "name");
  if (settingValue("chat.emailRequired", visitor.settings?.["chat.emailRequired"]) && !email) throw badRequest("Please tell us your email address.", "email");
  if (visitor.openChatId !== null) return visitorChatView(db, visitor.openChatId, input.token);

  // Both limits count in one statement; the visitor's is checked first.
  const [limits] = await db.$queryRaw<{ vCount: number; vReset: Date; ipCount: number | null; ipReset: Date | null }[]>`
    WITH v AS (${countHit(`chat:start:${visitor.id}`, 3600)}),
      ip AS (${meta.ip ? countHit(`chat:start-ip:${meta.ip}`, 3600) : Prisma.sql`SELECT NULL::int AS count, NULL::timestamp AS "resetAt"`})
    SELECT v.count AS "vCount", v."resetAt" AS "vReset", ip.count AS "ipCount", ip."resetAt" AS "ipReset" FROM v, ip`;
  if (limits!.vCount > CHAT_LIMITS.startsPerHour) throw tooMany("You have started many chats in a short time.", retryAfter(limits!.vReset));
  if (limits!.ipCount !== null && limits!.ipCount > CHAT_LIMITS.startsPerIpPerHour) throw tooMany("Too many chats were started from your network.", retryAfter(limits!.ipReset!));

  const pages = input.page ? JSON.stringify([{ url: input.page.url.slice(0, 2000), title: input.page.title?.slice(0, 300) ?? null, at: new Date().toISOString() }]) : null;
  // The customer (found or created by email), the visitor, the chat, its first message and the
  // report event: one statement (atomic on its own).
  const customer = email ? customerCte({ email, name }, new Date()) : Prisma.sql`c AS (SELECT ${visitor.customerId}::text AS id)`;
  const [chat] = await db.$queryRaw<{ id: number; brandId: string }[]>`
    WITH ${customer},
      v AS (
        UPDATE "Visitor" SET name = ${name}, email = ${email}, "customerId" = (SELECT id FROM c), "chatCount" = "chatCount" + 1, "lastSeenAt" = now(),
          pages = COALESCE(${pages}::jsonb, pages)
        WHERE id = ${visitor.id}),
      ch AS (
        INSERT INTO "Chat" ("brandId", "visitorId", "customerId", status, "messageCount", "queuedAt", "lastMessageAt", "createdAt", "updatedAt")
        VALUES (${visitor.brandId}, ${visitor.id}, (SELECT id FROM c), 'QUEUED', 1, now(), now(), now(), now()) RETURNING id, "brandId"),
      m AS (INSERT INTO "ChatMessage" ("chatId", kind, body, "createdAt") SELECT id, 'VISITOR', ${text}, now() FROM ch),
      r AS (INSERT INTO "ReportEvent" (type, "brandId", "chatId", at) SELECT 'CHAT_QUEUED', "brandId", id, now() FROM ch)
    SELECT id, "brandId" FROM ch`;
  if (!chat) throw new DomainError("CONFLICT", "The chat could not be started. Please try again.");
  // Answered once the queue has run: the visitor learns at once whether an agent took the chat.
  await requestDrain(db, chat.brandId);
  const view = await visitorChatView(db, chat.id, input.token);
  if (view.status === "QUEUED") await publish(await withChatLines(db, [changed(chat.id, chat.brandId, "QUEUED")]));
  return view;
}

/** Visitor uploads are attachable only by the visitor who uploaded them, once. */
export const visitorUploader = (visitorId: string) => `visitor:${visitorId}`;

async function claimAttachments(tx: Tx, ids: string[] | undefined, uploader: string, messageId: number) {
  if (!ids?.length) return;
  if (ids.length > CHAT_LIMITS.attachments) throw badRequest(`At most ${CHAT_LIMITS.attachments} files per message.`);
  const n = await tx.attachment.updateMany({ where: { id: { in: ids }, uploadedById: uploader, messageId: null, chatMessageId: null }, data: { chatMessageId: messageId } });
  if (n.count !== ids.length) throw badRequest("An attachment could not be found. Upload it again.");
}

export async function visitorSend(db: Db, input: { token: string; chatId: number; body: string; attachmentIds?: string[] }): Promise<ChatMessageView> {
  const { visitor, chat } = await ownChat(db, input.token, input.chatId);
  if (visitor.banned) throw forbidden("Sorry — chat is not available to you.");
  if (chat.endedAt || (chat.status !== "QUEUED" && chat.status !== "ACTIVE")) throw badRequest("This chat has ended. Start a new one to write again.");
  const text = input.attachmentIds?.length ? clean(input.body) : checkBody(input.body);
  if (text.length > CHAT_LIMITS.bodyChars) throw badRequest(`Messages can be at most ${CHAT_LIMITS.bodyChars} characters.`, "body");
  const limitKey = `chat:msg:${visitor.id}`;
  let view: ChatMessageView;
  if (!input.attachmentIds?.length) {
    // The common case in one statement (atomic on its own): the rate-limit count, and only when
    // allowed the message, the chat's counters and the visitor's last activity.
    const [row] = await db.$queryRaw<{ count: number; resetAt: Date; id: number | null; createdAt: Date | null }[]>`
      WITH rl AS (${countHit(limitKey, 60)}),
        ok AS (SELECT 1 FROM rl WHERE count <= ${CHAT_LIMITS.messagesPerMinute}),
        m AS (INSERT INTO "ChatMessage" ("chatId", kind, body, "createdAt") SELECT ${chat.id}, 'VISITOR', ${text}, now() FROM ok RETURNING id, "createdAt"),
        c AS (UPDATE "Chat" SET "messageCount" = "messageCount" + 1, "lastMessageAt" = now(), "updatedAt" = now() WHERE id = ${chat.id} AND EXISTS (SELECT 1 FROM ok)),
        v AS (UPDATE "Visitor" SET "lastSeenAt" = now() WHERE id = ${visitor.id} AND EXISTS (SELECT 1 FROM ok))
      SELECT rl.count, rl."resetAt", m.id, m."createdAt" FROM rl LEFT JOIN m ON true`;
    if (row!.id === null) throw tooMany("You are sending messages very quickly.", retryAfter(row!.resetAt));
    view = { id: row!.id, kind: "VISITOR", body: text, authorName: null, createdAt: row!.createdAt!.toISOString(), seenAt: null, attachments: [] };
  } else {
    const limit = await hit(db, limitKey, CHAT_LIMITS.messagesPerMinute, 60);
    if (!limit.allowed) throw tooMany("You are sending messages very quickly.", limit.retryAfterSeconds);
    const m = await db.$transaction(async (tx) => {
      const created = await tx.chatMessage.create({ data: { chatId: chat.id, kind: "VISITOR", body: text }, select: { id: true } });
      await claimAttachments(tx, input.attachmentIds, visitorUploader(visitor.id), created.id);
      await tx.chat.update({ where: { id: chat.id }, data: { messageCount: { increment: 1 }, lastMessageAt: new Date() } });
      await tx.visitor.update({ where: { id: visitor.id }, data: { lastSeenAt: new Date() } });
      return tx.chatMessage.findUniqueOrThrow({ where: { id: created.id }, select: messageSelect });
    });
    view = toMessageView(m, visitorFileUrl(input.token));
  }
  // On the shared channel the file links carry no token: the desk's session or the widget's own token opens them.
  await publish([messagePublication(chat.id, { ...view, attachments: view.attachments.map((a) => ({ ...a, url: `/api/widget/files/${a.id}` })) })]);
  noteActivity(db, chat.id, chat.brandId);
  return view;
}

/** C10: the visitor saw the agent's messages up to this one. */
export async function visitorSeen(db: Db, input: { token: string; chatId: number; upToId: number }) {
  const claims = verifyVisitorToken(input.token);
  // One statement when there is something to mark; otherwise the checks explain a refusal.
  const rows = claims
    ? await db.$queryRaw<{ seenAt: Date }[]>`
        UPDATE "ChatMessage" m SET "seenAt" = now() FROM "Chat" c JOIN "Visitor" v ON v.id = c."visitorId"
        WHERE c.id = ${input.chatId} AND v.id = ${claims.visitorId} AND v."brandId" = ${claims.brandId}
          AND m."chatId" = c.id AND m.kind = 'AGENT' AND m.id <= ${input.upToId} AND m."seenAt" IS NULL
        RETURNING m."seenAt"`
    : [];
  if (!rows.length) {
    await ownChat(db, input.token, input.chatId);
    return { ok: true as const };
  }
  await publish([{ channel: chatChannel(input.chatId), event: "chat.seen", data: { chatId: input.chatId, by: "visitor", upToId: input.upToId, at: rows[0]!.seenAt.toISOString() } }]);
  return { ok: true as const };
}

/** The visitor leaves: a chat nobody answered is missed; an answered one waits for the agent to resolve it. */
export async function visitorEnd(db: Db, input: { token: string; chatId: number }) {
  const { chat } = await ownChat(db, input.token, input.chatId);
  if (!chat.endedAt) {
    await db.$transaction(async (tx) => {
      const missed = chat.status === "QUEUED";
      await tx.chat.update({ where: { id: chat.id }, data: { endedAt: new Date(), ...(missed ? { status: "MISSED" } : {}) } });
      await tx.chatMessage.create({ data: { chatId: chat.id, kind: "SYSTEM", body: "The visitor ended the chat." } });
      if (missed) await tx.reportEvent.create({ data: { type: "CHAT_MISSED", brandId: chat.brandId, chatId: chat.id } });
    });
    await publish(await chatUpdatedPublications(db, chat.id));
  }
  return visitorChatView(db, chat.id, input.token);
}

export async function visitorRate(db: Db, input: { token: string; chatId: number; rating: number; comment?: string }) {
  const { chat } = await ownChat(db, input.token, input.chatId);
  if (chat.status === "QUEUED") throw badRequest("You can rate the chat once an agent has answered.");
  await db.chat.update({ where: { id: chat.id }, data: { rating: input.rating, ratingComment: input.comment?.trim().slice(0, 1000) || null } });
  await publish([changed(chat.id, chat.brandId, chat.status)]);
  return { ok: true as const };
}

/** C9: pages the visitor opened with the widget on them (the latest 50). */
export async function visitorVisit(db: Db, input: { token: string; url: string; title?: string }) {
  const visitor = await visitorFromToken(db, input.token);
  const row = await db.visitor.findUniqueOrThrow({ where: { id: visitor.id }, select: { pages: true } });
  const pages = Array.isArray(row.pages) ? (row.pages as { url: string }[]) : [];
  if (pages.at(-1)?.url !== input.url) {
    const next = [...pages, { url: input.url.slice(0, 2000), title: input.title?.slice(0, 300) ?? null, at: new Date().toISOString() }].slice(-50);
    await db.visitor.update({ where: { id: visitor.id }, data: { pages: next, lastSeenAt: new Date() } });
  }
  return { ok: true as const };
}
