import "server-only";
import type { ChatDetail, ChatMessageView } from "@/lib/chat/types";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";
export { CHAT_LIST_LIMIT } from "@/lib/chat/list-order";

export const messageSelect = {
  id: true,
  kind: true,
  body: true,
  createdAt: true,
  seenAt: true,
  author: { select: { name: true } },
  attachments: { select: { id: true, name: true, size: true, contentType: true } },
} satisfies Prisma.ChatMessageSelect;

type MessageRow = Prisma.ChatMessageGetPayload<{ select: typeof messageSelect }>;

/** Visitors fetch files with their token; agents through the desk's permission-checked route. */
export function toMessageView(m: MessageRow, fileUrl: (id: string) => string): ChatMessageView {
  return {
    id: m.id,
    kind: m.kind,
    body: m.body,
    authorName: m.author?.name ?? null,
    createdAt: m.createdAt.toISOString(),
    seenAt: m.seenAt?.toISOString() ?? null,
    attachments: m.attachments.map((a) => ({ ...a, url: fileUrl(a.id) })),
  };
}

/** Chat files open through one route: with a desk session (agents) or the visitor token (widget). */
export const agentFileUrl = (id: string) => `/api/widget/files/${id}`;
export const visitorFileUrl = (token: string) => (id: string) => `/api/widget/files/${id}?token=${encodeURIComponent(token)}`;

/** A timestamp column as the ISO string JavaScript's toISOString() gives (columns hold UTC). */
export const isoSql = (col: Prisma.Sql) => Prisma.sql`to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A chat's line in the desk list: its latest message (not a note) and the visitor messages no agent has seen (`chatId` is SQL). */
export const lastMessageSql = (chatId: Prisma.Sql) =>
  Prisma.sql`(SELECT left(m.body, 200) FROM "ChatMessage" m WHERE m."chatId" = ${chatId} AND m.kind IN ('VISITOR', 'AGENT') ORDER BY m.id DESC LIMIT 1)`;
export const unreadSql = (chatId: Prisma.Sql) =>
  Prisma.sql`(SELECT count(*)::int FROM "ChatMessage" m WHERE m."chatId" = ${chatId} AND m.kind = 'VISITOR' AND m."seenAt" IS NULL)`;

/**
 * Desk list lines of the chats matching `where` (alias `c`): `line` is the ChatListItem as
 * JSON, beside the chat's id and queue time. The list and the live "chat.changed" events build
 * their lines here, so a patched list equals a fetched one.
 */
export const chatLinesSql = (where: Prisma.Sql) => Prisma.sql`
  SELECT c.id, c."queuedAt", json_build_object('id', c.id, 'status', c.status, 'brandId', c."brandId",
      'visitorName', COALESCE(v.name, v.email, 'Visitor ' || c.id), 'visitorEmail', v.email,
      'lastMessage', ${lastMessageSql(Prisma.sql`c.id`)}, 'lastMessageAt', ${isoSql(Prisma.sql`c."lastMessageAt"`)}, 'queuedAt', ${isoSql(Prisma.sql`c."queuedAt"`)},
      'assignee', CASE WHEN c."assigneeId" IS NULL THEN NULL ELSE json_build_object('id', c."assigneeId", 'name', a.name) END,
      'unread', ${unreadSql(Prisma.sql`c.id`)}) AS line
  FROM "Chat" c JOIN "Visitor" v ON v.id = c."visitorId" LEFT JOIN "User" a ON a.id = c."assigneeId"
  WHERE ${where}`;

/** Row shape of messagesJson: ChatMessageView without file URLs (the caller knows who asks). */
export type MessageJson = Omit<ChatMessageView, "attachments"> & { attachments: Omit<ChatMessageView["attachments"][number], "url">[] };

/** A chat's transcript as one JSON array, oldest first, inside a larger statement (`chatId` is SQL). */
export function messagesJson(chatId: Prisma.Sql, opts: { notes: boolean; limit: number }) {
  return Prisma.sql`COALESCE((
    SELECT json_agg(json_build_object(
      'id', m.id, 'kind', m.kind, 'body', m.body, 'authorName', u.name,
      'createdAt', ${isoSql(Prisma.sql`m."createdAt"`)}, 'seenAt', ${isoSql(Prisma.sql`m."seenAt"`)},
      'attachments', COALESCE((SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'size', f.size, 'contentType', f."contentType") ORDER BY f."createdAt", f.id)
        FROM "Attachment" f WHERE f."chatMessageId" = m.id), '[]'::json)
    ) ORDER BY m.id)
    FROM (SELECT id, kind, body, "createdAt", "seenAt", "authorId" FROM "ChatMessage" WHERE "chatId" = ${chatId} AND (${opts.notes} OR kind <> 'NOTE') ORDER BY id LIMIT ${opts.limit}) m
    LEFT JOIN "User" u ON u.id = m."authorId"
  ), '[]'::json)`;
}

export const withFileUrls = (messages: MessageJson[], fileUrl: (id: string) => string): ChatMessageView[] =>
  messages.map((m) => ({ ...m, attachments: m.attachments.map((f) => ({ ...f, url: fileUrl(f.id) })) }));

type ChatDetailRow = Omit<ChatDetail, "canReply" | "canResolve" | "assignee" | "group" | "topic" | "messages" | "visitor"> & {
  assigneeId: string | null; assigneeName: string | null; groupId: string | null; groupName: string | null; topicId: string | null; topicName: string | null;
  visitor: Omit<ChatDetail["visitor"], "pages"> & { pages: unknown };
  messages: MessageJson[];
};

/** Everything the desk shows of one chat, in one statement; null when missing or of another brand. */
export async function loadChatDetail(db: Tx, id: number, brandIds: string[]) {
  const [c] = await db.$queryRaw<ChatDetailRow[]>`
    SELECT c.id, c."brandId", c.status::text AS status, ${isoSql(Prisma.sql`c."queuedAt"`)} AS "queuedAt", ${isoSql(Prisma.sql`c."assignedAt"`)} AS "assignedAt",
      ${isoSql(Prisma.sql`c."endedAt"`)} AS "endedAt", ${isoSql(Prisma.sql`c."resolvedAt"`)} AS "resolvedAt", c.rating, c."ratingComment",
      c."assigneeId", a.name AS "assigneeName", g.id AS "groupId", g.name AS "groupName", tp.id AS "topicId", tp.name AS "topicName", t.number AS "ticketNumber",
      json_build_object('id', v.id, 'name', v.name, 'email', v.email, 'ip', v.ip, 'browser', v.browser, 'os', v.os, 'pages', v.pages,
        'firstSeenAt', ${isoSql(Prisma.sql`v."firstSeenAt"`)}, 'lastSeenAt', ${isoSql(Prisma.sql`v."lastSeenAt"`)}, 'chatCount', v."chatCount", 'banned', v.banned) AS visitor,
      ${messagesJson(Prisma.sql`c.id`, { notes: true, limit: 1000 })} AS messages
    FROM "Chat" c JOIN "Visitor" v ON v.id = c."visitorId"
      LEFT JOIN "User" a ON a.id = c."assigneeId" LEFT JOIN "Group" g ON g.id = c."groupId"
      LEFT JOIN "Topic" tp ON tp.id = c."topicId" LEFT JOIN "Ticket" t ON t.id = c."ticketId"
    WHERE c.id = ${id} AND c."brandId" = ANY (${brandIds}::text[])`;
  return c ?? null;
}

export function toChatDetail(c: ChatDetailRow, can: { canReply: boolean; canResolve: boolean }): ChatDetail {
  const pages = Array.isArray(c.visitor.pages) ? (c.visitor.pages as { url?: unknown; title?: unknown; at?: unknown }[]) : [];
  return {
    id: c.id,
    brandId: c.brandId,
    status: c.status,
    queuedAt: c.queuedAt,
    assignedAt: c.assignedAt,
    endedAt: c.endedAt,
    resolvedAt: c.resolvedAt,
    assignee: c.assigneeId ? { id: c.assigneeId, name: c.assigneeName! } : null,
    group: c.groupId ? { id: c.groupId, name: c.groupName! } : null,
    topic: c.topicId ? { id: c.topicId, name: c.topicName! } : null,
    ticketNumber: c.ticketNumber,
    rating: c.rating,
    ratingComment: c.ratingComment,
    ...can,
    visitor: {
      ...c.visitor,
      pages: pages.filter((p) => typeof p.url === "string").map((p) => ({ url: String(p.url), title: typeof p.title === "string" ? p.title : null, at: String(p.at ?? "") })),
    },
    messages: withFileUrls(c.messages, agentFileUrl),
  };
}
