/**
 * Wire format of the Pusher Channels protocol, version 7. Close codes follow
 * pusher-js's reading of them: 4000-4099 never reconnect, 4100-4199 reconnect
 * with backoff, 4200-4299 reconnect at once.
 */
export const PROTOCOL_VERSION = 7;
/** pusher-js 8 speaks 7; older clients speaking 5 and 6 use the same frames we serve. */
export const MIN_PROTOCOL_VERSION = 5;

export const Code = {
  AppNotFound: 4001,
  UnsupportedProtocol: 4007,
  Unauthorized: 4009,
  OverCapacity: 4100,
  Reconnect: 4200,
  PongTimeout: 4201,
  ClientEventRejected: 4301,
  /** Pusher's code for "too many messages" as sent in pusher:error (the connection stays open). */
  RateLimited: 4301,
} as const;

export const MAX_CHANNEL_NAME = 200;
export const MAX_EVENT_NAME = 200;
export const MAX_USER_ID = 128;
export const MAX_USER_INFO_BYTES = 1024;

const CHANNEL_NAME = /^[A-Za-z0-9_\-=@,.;]+$/;
const SERVER_TO_USER_PREFIX = "#server-to-user-";
export const SOCKET_ID = /^\d+\.\d+$/;

export type ChannelKind = "public" | "private" | "encrypted" | "presence" | "user";

export function channelKind(name: string): ChannelKind {
  if (name.startsWith("presence-")) return "presence";
  if (name.startsWith("private-encrypted-")) return "encrypted";
  if (name.startsWith("private-")) return "private";
  if (name.startsWith(SERVER_TO_USER_PREFIX)) return "user";
  return "public";
}

export function isValidChannelName(name: unknown): name is string {
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_CHANNEL_NAME) return false;
  if (name.startsWith(SERVER_TO_USER_PREFIX)) return name.length > SERVER_TO_USER_PREFIX.length;
  return CHANNEL_NAME.test(name);
}

export function serverToUserChannel(userId: string): string {
  return SERVER_TO_USER_PREFIX + userId;
}

export function userIdOfChannel(name: string): string | undefined {
  return name.startsWith(SERVER_TO_USER_PREFIX) ? name.slice(SERVER_TO_USER_PREFIX.length) : undefined;
}

export interface IncomingFrame {
  event: string;
  channel?: string;
  data: unknown;
}

/** Returns null for anything that is not a Pusher frame; the caller answers with pusher:error. */
export function parseFrame(text: string): IncomingFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.event !== "string" || v.event.length === 0) return null;
  if (v.channel !== undefined && typeof v.channel !== "string") return null;
  return { event: v.event, channel: v.channel as string | undefined, data: v.data };
}

/**
 * Protocol 7 carries pusher:* data as a JSON string inside the frame (pusher-js
 * parses it again); older clients sent objects, and both arrive in practice.
 */
export function dataObject(data: unknown): Record<string, unknown> | null {
  let d = data;
  if (typeof d === "string") {
    try {
      d = JSON.parse(d);
    } catch {
      return null;
    }
  }
  return typeof d === "object" && d !== null && !Array.isArray(d) ? (d as Record<string, unknown>) : null;
}

/** Internal events (connection, subscription, presence) are sent with string-encoded data, as Pusher does. */
export function internalFrame(event: string, data: unknown, channel?: string): string {
  const frame: Record<string, unknown> = { event, data: JSON.stringify(data) };
  if (channel !== undefined) frame.channel = channel;
  return JSON.stringify(frame);
}

export function errorFrame(code: number | null, message: string): string {
  return JSON.stringify({ event: "pusher:error", data: { code, message } });
}

export function subscriptionErrorFrame(channel: string, status: number, error: string, type = "AuthError"): string {
  return JSON.stringify({ event: "pusher:subscription_error", channel, data: { type, error, status } });
}

/** Events relayed to subscribers keep `data` exactly as the publisher gave it. */
export function eventFrame(event: string, channel: string, data: unknown, userId?: string): string {
  const frame: Record<string, unknown> = { event, channel, data };
  if (userId !== undefined) frame.user_id = userId;
  return JSON.stringify(frame);
}

/** Names the clients reserve for the protocol itself; nobody may publish them. */
export function isReservedEventName(name: string): boolean {
  return name.startsWith("pusher:") || name.startsWith("pusher_internal:");
}
