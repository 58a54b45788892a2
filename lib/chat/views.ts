import "server-only";
import type { ChatDetail, ChatMessageView } from "@/lib/chat/types";
import type { Prisma } from "@/lib/generated/prisma/client";

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

export const chatDetailSelect = {
  id: true,
  brandId: true,
  status: true,
  queuedAt: true,
  assignedAt: true,
  endedAt: true,
  resolvedAt: true,
  rating: true,
  ratingComment: true,
  assigneeId: true,
  assignee: { select: { id: true, name: true } },
  group: { select: { id: true, name: true } },
  topic: { select: { id: true, name: true } },
  ticket: { select: { number: true } },
  visitor: { select: { id: true, name: true, email: true, ip: true, browser: true, os: true, pages: true, firstSeenAt: true, lastSeenAt: true, chatCount: true, banned: true } },
  messages: { orderBy: { id: "asc" }, take: 1000, select: messageSelect },
} satisfies Prisma.ChatSelect;

type ChatDetailRow = Prisma.ChatGetPayload<{ select: typeof chatDetailSelect }>;

export function toChatDetail(c: ChatDetailRow, can: { canReply: boolean; canResolve: boolean }): ChatDetail {
  const pages = Array.isArray(c.visitor.pages) ? (c.visitor.pages as { url?: unknown; title?: unknown; at?: unknown }[]) : [];
  return {
    id: c.id,
    brandId: c.brandId,
    status: c.status,
    queuedAt: c.queuedAt.toISOString(),
    assignedAt: c.assignedAt?.toISOString() ?? null,
    endedAt: c.endedAt?.toISOString() ?? null,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    assignee: c.assignee,
    group: c.group,
    topic: c.topic,
    ticketNumber: c.ticket?.number ?? null,
    rating: c.rating,
    ratingComment: c.ratingComment,
    ...can,
    visitor: {
      ...c.visitor,
      pages: pages.filter((p) => typeof p.url === "string").map((p) => ({ url: String(p.url), title: typeof p.title === "string" ? p.title : null, at: String(p.at ?? "") })),
      firstSeenAt: c.visitor.firstSeenAt.toISOString(),
      lastSeenAt: c.visitor.lastSeenAt.toISOString(),
    },
    messages: c.messages.map((m) => toMessageView(m, agentFileUrl)),
  };
}
