/**
 * The HMAC schemes Pusher uses: channel authorisation (socket_id:channel[:channel_data]),
 * user sign-in (socket_id::user::user_data), REST request signing and webhook signing.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { AppConfig } from "../types";

/** REST requests older or newer than this are refused, as Pusher does, to bound replays. */
export const TIMESTAMP_WINDOW_SEC = 600;

export function hmacSha256Hex(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data, "utf8").digest("hex");
}

export function md5Hex(body: Buffer | string): string {
  return createHash("md5").update(body).digest("hex");
}

/** Constant-time for equal lengths; a length mismatch already says "no" without comparing content. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** `auth` is "key:hexdigest"; the key part must be this app's, the digest over the given parts. */
function verifyKeyedSignature(app: AppConfig, auth: unknown, signed: string): boolean {
  if (typeof auth !== "string") return false;
  const colon = auth.indexOf(":");
  if (colon < 0) return false;
  const key = auth.slice(0, colon);
  const digest = auth.slice(colon + 1);
  const keyOk = safeEqual(key, app.key);
  const digestOk = safeEqual(digest, hmacSha256Hex(app.secret, signed));
  return keyOk && digestOk;
}

export function verifyChannelAuth(
  app: AppConfig,
  socketId: string,
  channel: string,
  auth: unknown,
  channelData?: string,
): boolean {
  const signed = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return verifyKeyedSignature(app, auth, signed);
}

export function verifyUserAuth(app: AppConfig, socketId: string, auth: unknown, userData: string): boolean {
  return verifyKeyedSignature(app, auth, `${socketId}::user::${userData}`);
}

export function signWebhookBody(secret: string, body: string): string {
  return hmacSha256Hex(secret, body);
}

export type Verdict = { ok: true } | { ok: false; status: number; message: string };

/**
 * Pusher's REST signature: HMAC over "METHOD\npath\nquery", the query being every
 * parameter but auth_signature, keys lower-cased and sorted, values as decoded.
 */
export function restSigningString(method: string, path: string, params: [string, string][]): string {
  const query = params
    .filter(([k]) => k.toLowerCase() !== "auth_signature")
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return `${method.toUpperCase()}\n${path}\n${query}`;
}

export function verifyRestRequest(input: {
  app: AppConfig;
  method: string;
  path: string;
  params: [string, string][];
  body: Buffer;
  nowSec?: number;
}): Verdict {
  const { app, method, path, params, body } = input;
  const get = (name: string) => params.find(([k]) => k.toLowerCase() === name)?.[1];
  const authKey = get("auth_key");
  const timestamp = get("auth_timestamp");
  const version = get("auth_version");
  const signature = get("auth_signature");
  if (!authKey || !timestamp || !signature) {
    return { ok: false, status: 401, message: "Missing auth_key, auth_timestamp or auth_signature" };
  }
  if (!safeEqual(authKey, app.key)) return { ok: false, status: 401, message: "Invalid auth_key" };
  if (version !== undefined && version !== "1.0") {
    return { ok: false, status: 401, message: `Unsupported auth_version ${version}` };
  }
  const now = input.nowSec ?? Math.floor(Date.now() / 1000);
  const ts = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(now - ts) > TIMESTAMP_WINDOW_SEC) {
    return {
      ok: false,
      status: 401,
      message: `Timestamp expired: Given timestamp (${timestamp}) not within ${TIMESTAMP_WINDOW_SEC}s of server time (${now})`,
    };
  }
  if (body.length > 0) {
    const md5 = get("body_md5");
    if (!md5 || !safeEqual(md5, md5Hex(body))) return { ok: false, status: 401, message: "Invalid body_md5" };
  }
  const toSign = restSigningString(method, path, params);
  if (!safeEqual(signature, hmacSha256Hex(app.secret, toSign))) {
    // Naming the signed string (not the digest) is what makes a client's signing bug findable.
    return { ok: false, status: 401, message: `Invalid signature: Expected HMAC SHA256 hex digest of ${JSON.stringify(toSign)}` };
  }
  return { ok: true };
}
