import "server-only";
import Pusher from "pusher";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { verifyVisitorToken } from "@/lib/chat/visitor-token";

let signer: Pusher | undefined;
function pusher() {
  signer ??= new Pusher({ appId: env.PUSHER_APP_ID, key: env.PUSHER_KEY, secret: env.PUSHER_SECRET, host: env.PUSHER_HOST, port: String(env.PUSHER_PORT), useTLS: env.PUSHER_USE_TLS, cluster: env.PUSHER_CLUSTER });
  return signer;
}

export type AuthResult = { ok: true; body: { auth: string; channel_data?: string; user_data?: string } } | { ok: false; status: 401 | 403; message: string };

/**
 * Channel authorisation by the session's permissions (the realtime server checks the
 * signature; this decides who gets one). Chat channels are handled by the chat module.
 */
export async function authorizeAgentChannel(db: Db, user: CurrentUser | null, socketId: string, channel: string): Promise<AuthResult> {
  if (!user) return { ok: false, status: 401, message: "Sign in to continue." };
  if (!/^\d+\.\d+$/.test(socketId)) return { ok: false, status: 403, message: "Invalid socket id." };
  let allowed = false;
  let presence: { user_id: string; user_info: { name: string } } | undefined;
  const brand = /^private-brand-(.+)$/.exec(channel);
  const own = /^private-user-(.+)$/.exec(channel);
  const ticket = /^presence-ticket-(\d+)$/.exec(channel);
  if (brand) allowed = user.brandIds.includes(brand[1]!) && user.permissions.includes("tickets.view");
  else if (own) allowed = own[1] === user.id;
  else if (ticket) {
    const t = await db.ticket.findUnique({ where: { id: Number(ticket[1]) }, select: { brandId: true } });
    allowed = !!t && user.brandIds.includes(t.brandId) && user.permissions.includes("tickets.view");
    presence = { user_id: user.id, user_info: { name: user.name } };
  }
  if (!allowed) return { ok: false, status: 403, message: `Not allowed to subscribe to ${channel}.` };
  return { ok: true, body: pusher().authorizeChannel(socketId, channel, presence) };
}

/**
 * private-chat-<id>: the visitor whose signed token owns the chat, or an agent who may work
 * on the brand's chats (the same people who can open it in the desk; notes never go here).
 */
export async function authorizeChatChannel(db: Db, user: CurrentUser | null, visitorToken: string | null, socketId: string, channel: string): Promise<AuthResult> {
  const m = /^private-chat-(\d+)$/.exec(channel);
  if (!m || !/^\d+\.\d+$/.test(socketId)) return { ok: false, status: 403, message: "Invalid channel or socket id." };
  const chat = await db.chat.findUnique({ where: { id: Number(m[1]) }, select: { brandId: true, visitorId: true } });
  let allowed = false;
  if (chat && visitorToken) {
    const claims = verifyVisitorToken(visitorToken);
    allowed = !!claims && claims.visitorId === chat.visitorId && claims.brandId === chat.brandId;
  } else if (chat && user) {
    allowed = user.brandIds.includes(chat.brandId) && user.permissions.includes("chats.answer");
  }
  if (!user && !visitorToken) return { ok: false, status: 401, message: "Sign in or open the chat first." };
  if (!allowed) return { ok: false, status: 403, message: `Not allowed to subscribe to ${channel}.` };
  return { ok: true, body: pusher().authorizeChannel(socketId, channel) };
}

/**
 * Signs a desk's connection in as its user (pusher-js signin()), so the user's
 * connections can be closed at once when they are deactivated.
 */
export function authenticateDeskUser(user: CurrentUser | null, socketId: string): AuthResult {
  if (!user) return { ok: false, status: 401, message: "Sign in first." };
  return { ok: true, body: pusher().authenticateUser(socketId, { id: user.id }) as { auth: string; user_data?: string } };
}

/** What the browser needs to connect: public values only. */
export function realtimeClientConfig() {
  const appHost = new URL(env.APP_URL).hostname;
  return {
    key: env.PUSHER_KEY,
    cluster: env.PUSHER_CLUSTER,
    wsHost: env.PUSHER_PUBLIC_HOST ?? (env.PUSHER_HOST === "127.0.0.1" || env.PUSHER_HOST === "localhost" ? appHost : env.PUSHER_HOST),
    wsPort: env.PUSHER_PUBLIC_PORT ?? env.PUSHER_PORT,
    forceTLS: env.PUSHER_USE_TLS,
  };
}
export type RealtimeClientConfig = ReturnType<typeof realtimeClientConfig>;
