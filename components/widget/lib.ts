import { TRPCClientError } from "@trpc/client";
import type { ChatMessageView, VisitorChatView } from "@/lib/chat/types";

export const MAX_MESSAGE = 5000;
export const COUNTER_FROM = 4500;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

export type WidgetConfig = { brandName: string; color: string; logoUrl: string | null; online: boolean; nameRequired: boolean; emailRequired: boolean };
export type UploadedFile = { id: string; name: string; size: number; contentType: string };
export type Translate = (key: string, values?: Record<string, string | number>) => string;

// ---------- Storage (the iframe's own; blocked storage must never break the chat) ----------

export const tokenKey = (slug: string) => `relaydesk.visitor.${slug}`;
export const profileKey = (slug: string) => `relaydesk.profile.${slug}`;

export function readStore(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}
export function writeStore(key: string, value: string | null) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    /* private mode or blocked third-party storage: the chat still works for this page view */
  }
}
export function readProfile(slug: string): { name: string; email: string } {
  try {
    const v = JSON.parse(readStore(profileKey(slug)) ?? "{}") as { name?: unknown; email?: unknown };
    return { name: typeof v.name === "string" ? v.name : "", email: typeof v.email === "string" ? v.email : "" };
  } catch {
    return { name: "", email: "" };
  }
}

// ---------- The host page (public/widget.js) ----------

export const isEmbedded = () => typeof window !== "undefined" && window.parent !== window;

let hostOrigin: string | null = null;
/** The first message from the host tells us its origin; until then the referrer does. */
export function learnHostOrigin(origin: string) {
  hostOrigin ??= origin;
}
export type ToHost =
  | { type: "relaydesk:ready"; color: string }
  | { type: "relaydesk:close" }
  | { type: "relaydesk:unread"; count: number }
  | { type: "relaydesk:active"; active: boolean };

export function postToHost(msg: ToHost) {
  if (!isEmbedded()) return;
  let target = hostOrigin;
  if (!target) {
    try {
      target = document.referrer ? new URL(document.referrer).origin : "*";
    } catch {
      target = "*";
    }
  }
  // Nothing sent to the host is confidential (a colour, a count, "close").
  window.parent.postMessage(msg, target);
}

export type HostPage = { url: string; title?: string };
/** A host page report, validated: it comes from an arbitrary site. */
export function parseHostPage(data: unknown): HostPage | null {
  const d = data as { url?: unknown; title?: unknown };
  if (typeof d.url !== "string" || d.url.length > 2000 || !/^https?:\/\//i.test(d.url)) return null;
  const title = typeof d.title === "string" && d.title.trim() ? d.title.trim().slice(0, 300) : undefined;
  return { url: d.url, title };
}

// ---------- Messages ----------

/** Adds or replaces messages by id, keeping the list in order (pending ones, negative ids, last). */
export function upsertMessages(list: ChatMessageView[], incoming: ChatMessageView[]): ChatMessageView[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) {
    const known = byId.get(m.id);
    // A read receipt can arrive before the send's own answer: "seen" never goes back to unseen.
    byId.set(m.id, { ...known, ...m, seenAt: m.seenAt ?? known?.seenAt ?? null });
  }
  const all = [...byId.values()];
  const real = all.filter((m) => m.id > 0).sort((a, b) => a.id - b.id);
  const pending = all.filter((m) => m.id < 0).sort((a, b) => b.id - a.id);
  return [...real, ...pending];
}

export function withMessages(chat: VisitorChatView, fn: (list: ChatMessageView[]) => ChatMessageView[]): VisitorChatView {
  return { ...chat, messages: fn(chat.messages) };
}

/** Still going: queued or answered, and not ended by either side (a visitor's "end" leaves an ACTIVE chat with endedAt set). */
export const isOpenChat = (c: VisitorChatView | null) => !!c && (c.status === "QUEUED" || c.status === "ACTIVE") && !c.endedAt;

export const fileUrl = (id: string, token: string) => `/api/widget/files/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`;

// ---------- Errors ----------

type ErrorData = { code?: string; httpStatus?: number; fieldErrors?: Record<string, string> | null };

/** A sentence for the visitor: the server's own readable message, or ours for network trouble. */
export function errorText(e: unknown, t: Translate): string {
  if (e instanceof TRPCClientError) {
    const data = e.data as ErrorData | undefined;
    if (!data) return e.cause instanceof TypeError || /fetch|network/i.test(e.message) ? t("errors.network") : t("errors.generic");
    if (data.code === "INTERNAL_SERVER_ERROR") return t("errors.generic");
    return e.message || t("errors.generic");
  }
  if (e instanceof TypeError) return t("errors.network");
  if (e instanceof Error && e.message) return e.message;
  return t("errors.generic");
}

export function fieldErrorsOf(e: unknown): Record<string, string> {
  if (e instanceof TRPCClientError) return ((e.data as ErrorData | undefined)?.fieldErrors ?? {}) as Record<string, string>;
  return {};
}

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ---------- Upload ----------

/** Checks an image before it is sent anywhere; returns the problem, or null. */
export function checkImage(file: File, t: Translate): string | null {
  if (!IMAGE_TYPES.includes(file.type)) return t("errors.fileType");
  if (file.size > MAX_IMAGE_BYTES) return t("errors.fileSize", { name: file.name });
  return null;
}

export async function uploadImage(file: File, token: string, t: Translate, signal?: AbortSignal): Promise<UploadedFile> {
  const body = new FormData();
  body.append("file", file);
  let res: Response;
  try {
    res = await fetch("/api/widget/upload", { method: "POST", headers: { "x-visitor-token": token }, body, signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new Error(t("errors.network"), { cause: e });
  }
  const json = (await res.json().catch(() => null)) as { file?: UploadedFile; error?: string } | null;
  if (!res.ok || !json?.file) throw new Error(json?.error || t("errors.upload"));
  return json.file;
}
