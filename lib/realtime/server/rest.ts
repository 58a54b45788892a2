/**
 * Pusher's HTTP API (the part the `pusher` server SDK uses): triggering events
 * and querying channels. Every request under /apps/:id is signed; errors are
 * plain-text bodies with Pusher's status codes, which the SDK surfaces as-is.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppRuntime } from "./app";
import { verifyRestRequest } from "./auth/signature";
import {
  Code,
  MAX_EVENT_NAME,
  SOCKET_ID,
  channelKind,
  eventFrame,
  isReservedEventName,
  isValidChannelName,
} from "./protocol";
import type { Limits, Logger } from "./types";

export const MAX_CHANNELS_PER_EVENT = 100;
export const MAX_BATCH_EVENTS = 10;

export interface RestContext {
  appsById: Map<string, AppRuntime>;
  limits: Limits;
  log: Logger;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body: unknown;
}

type Query = Map<string, string>;

export function createRestHandler(ctx: RestContext): (req: IncomingMessage, res: ServerResponse) => void {
  // Ten events of maximum size, JSON-escaped (which can double them), plus channel lists.
  const maxBodyBytes = Math.max(1 << 20, ctx.limits.maxPayloadBytes * MAX_BATCH_EVENTS * 3);
  return (req, res) => {
    handle(ctx, req, maxBodyBytes)
      .then((reply) => respond(res, reply))
      .catch((e: unknown) => {
        if (e instanceof HttpError) return respond(res, { status: e.status, body: e.message });
        ctx.log("error", "REST handler failed", { url: req.url, error: String(e) });
        respond(res, { status: 500, body: "Internal server error" });
      });
  };
}

function respond(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const isText = typeof reply.body === "string";
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "Content-Type": isText ? "text/plain; charset=utf-8" : "application/json",
    "Content-Length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The SDK does not URL-encode query values, and signs them raw; decoding keeps both styles working. */
function parseQuery(raw: string): [string, string][] {
  if (!raw) return [];
  return raw
    .split("&")
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      return eq < 0 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      // Keep draining a little so the client can read our 413, but not forever.
      if (size > limit * 4) {
        req.destroy();
        break;
      }
      continue;
    }
    chunks.push(chunk);
  }
  if (tooLarge) throw new HttpError(413, `Request body exceeds ${limit} bytes`);
  return Buffer.concat(chunks);
}

async function handle(ctx: RestContext, req: IncomingMessage, maxBodyBytes: number): Promise<Reply> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const method = (req.method ?? "GET").toUpperCase();

  if (path === "/health" || path === "/") return { status: 200, body: { ok: true } };

  const match = /^\/apps\/([^/]+)(\/.*)$/.exec(path);
  if (!match) throw new HttpError(404, "Not found");
  const app = ctx.appsById.get(decode(match[1]!));
  if (!app) throw new HttpError(404, `Unknown app id ${decode(match[1]!)}`);
  const route = resolveRoute(method, match[2]!);

  const body = method === "POST" ? await readBody(req, maxBodyBytes) : Buffer.alloc(0);
  const params = parseQuery(q < 0 ? "" : url.slice(q + 1));
  const verdict = verifyRestRequest({ app: app.config, method, path, params, body });
  if (!verdict.ok) throw new HttpError(verdict.status, verdict.message);

  const query: Query = new Map(params.map(([k, v]) => [k.toLowerCase(), v]));
  return route(ctx, app, query, body);
}

type Route = (ctx: RestContext, app: AppRuntime, query: Query, body: Buffer) => Reply;

function resolveRoute(method: string, rest: string): Route {
  const want = (m: string, route: Route): Route => {
    if (method !== m) throw new HttpError(405, `Method ${method} not allowed here`);
    return route;
  };
  if (rest === "/events") return want("POST", triggerEvent);
  if (rest === "/batch_events") return want("POST", triggerBatch);
  if (rest === "/channels") return want("GET", listChannels);
  let m = /^\/channels\/([^/]+)$/.exec(rest);
  if (m) {
    const name = decode(m[1]!);
    return want("GET", (ctx, app, query) => channelInfo(app, name, query));
  }
  m = /^\/channels\/([^/]+)\/users$/.exec(rest);
  if (m) {
    const name = decode(m[1]!);
    return want("GET", (ctx, app) => channelUsers(app, name));
  }
  m = /^\/users\/([^/]+)\/terminate_connections$/.exec(rest);
  if (m) {
    const userId = decode(m[1]!);
    return want("POST", (ctx, app) => terminateUser(app, userId));
  }
  throw new HttpError(404, "Not found");
}

function parseJson(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "Request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

interface Publication {
  name: string;
  data: string;
  channels: string[];
  socketId: string | undefined;
  info: Set<string>;
}

const EVENT_INFO = new Set(["user_count", "subscription_count"]);

function parseInfo(raw: unknown, allowed: Set<string>): Set<string> {
  if (raw === undefined || raw === null || raw === "") return new Set();
  if (typeof raw !== "string") throw new HttpError(400, "info must be a comma-separated string");
  const attrs = new Set(raw.split(",").map((s) => s.trim()).filter(Boolean));
  for (const a of attrs) if (!allowed.has(a)) throw new HttpError(400, `Unsupported info attribute: ${a}`);
  return attrs;
}

/** Validates one event fully before anything is sent, so a bad batch publishes nothing. */
function parsePublication(e: unknown, limits: Limits, channelsField: "channels" | "channel"): Publication {
  if (typeof e !== "object" || e === null) throw new HttpError(400, "Each event must be an object");
  const ev = e as Record<string, unknown>;
  const { name, data } = ev;
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_EVENT_NAME) {
    throw new HttpError(400, `Event name must be 1-${MAX_EVENT_NAME} characters`);
  }
  if (isReservedEventName(name)) throw new HttpError(400, `Event name ${name} is reserved`);
  if (typeof data !== "string") throw new HttpError(400, "data must be a string");
  const size = Buffer.byteLength(data);
  if (size > limits.maxPayloadBytes) {
    throw new HttpError(413, `Event data of ${size} bytes exceeds the ${limits.maxPayloadBytes} byte limit`);
  }

  let channels: unknown[];
  if (channelsField === "channel" || (ev.channels === undefined && typeof ev.channel === "string")) {
    channels = [ev.channel];
  } else if (Array.isArray(ev.channels)) {
    channels = ev.channels;
  } else {
    throw new HttpError(400, "channels must be an array of channel names");
  }
  if (channels.length === 0) throw new HttpError(400, "At least one channel is required");
  if (channels.length > MAX_CHANNELS_PER_EVENT) {
    throw new HttpError(400, `Too many channels: ${channels.length} (at most ${MAX_CHANNELS_PER_EVENT} per event)`);
  }
  for (const c of channels) if (!isValidChannelName(c)) throw new HttpError(400, `Invalid channel name: ${String(c).slice(0, 210)}`);

  const socketId = ev.socket_id;
  if (socketId !== undefined && (typeof socketId !== "string" || !SOCKET_ID.test(socketId))) {
    throw new HttpError(400, "Invalid socket_id");
  }
  return {
    name,
    data,
    channels: [...new Set(channels as string[])],
    socketId: socketId as string | undefined,
    info: parseInfo(ev.info, EVENT_INFO),
  };
}

function publish(app: AppRuntime, p: Publication): void {
  // An unknown socket_id (already disconnected) simply excludes nobody.
  const except = p.socketId ? app.connections.get(p.socketId) : undefined;
  for (const channel of p.channels) app.channels.broadcast(channel, eventFrame(p.name, channel, p.data), except);
}

function channelAttributes(app: AppRuntime, channel: string, info: Set<string>): Record<string, number> {
  const ch = app.channels.get(channel);
  const out: Record<string, number> = {};
  if (info.has("subscription_count")) out.subscription_count = ch?.subscribers.size ?? 0;
  if (info.has("user_count") && channelKind(channel) === "presence") out.user_count = ch?.members.size ?? 0;
  return out;
}

function triggerEvent(ctx: RestContext, app: AppRuntime, _query: Query, body: Buffer): Reply {
  const p = parsePublication(parseJson(body), ctx.limits, "channels");
  publish(app, p);
  if (p.info.size === 0) return { status: 200, body: {} };
  const channels: Record<string, Record<string, number>> = {};
  for (const c of p.channels) channels[c] = channelAttributes(app, c, p.info);
  return { status: 200, body: { channels } };
}

function triggerBatch(ctx: RestContext, app: AppRuntime, _query: Query, body: Buffer): Reply {
  const batch = parseJson(body).batch;
  if (!Array.isArray(batch) || batch.length === 0) throw new HttpError(400, "batch must be a non-empty array");
  if (batch.length > MAX_BATCH_EVENTS) {
    throw new HttpError(400, `Batch of ${batch.length} events exceeds the limit of ${MAX_BATCH_EVENTS}`);
  }
  const pubs = batch.map((e) => parsePublication(e, ctx.limits, "channel"));
  for (const p of pubs) publish(app, p);
  if (pubs.every((p) => p.info.size === 0)) return { status: 200, body: {} };
  return { status: 200, body: { batch: pubs.map((p) => channelAttributes(app, p.channels[0]!, p.info)) } };
}

function listChannels(_ctx: RestContext, app: AppRuntime, query: Query): Reply {
  const prefix = query.get("filter_by_prefix") ?? "";
  const info = parseInfo(query.get("info"), new Set(["user_count"]));
  if (info.has("user_count") && !prefix.startsWith("presence-")) {
    throw new HttpError(400, "info=user_count requires filter_by_prefix=presence-");
  }
  const channels: Record<string, Record<string, number>> = {};
  for (const ch of app.channels.all()) {
    if (ch.kind === "user" || !ch.name.startsWith(prefix)) continue;
    channels[ch.name] = info.has("user_count") ? { user_count: ch.members.size } : {};
  }
  return { status: 200, body: { channels } };
}

function channelInfo(app: AppRuntime, name: string, query: Query): Reply {
  if (!isValidChannelName(name)) throw new HttpError(400, "Invalid channel name");
  const info = parseInfo(query.get("info"), EVENT_INFO);
  if (info.has("user_count") && channelKind(name) !== "presence") {
    throw new HttpError(400, "user_count is only available for presence channels");
  }
  const ch = app.channels.get(name);
  return { status: 200, body: { occupied: ch !== undefined, ...channelAttributes(app, name, info) } };
}

function channelUsers(app: AppRuntime, name: string): Reply {
  if (!isValidChannelName(name)) throw new HttpError(400, "Invalid channel name");
  if (channelKind(name) !== "presence") throw new HttpError(400, "Users are only available for presence channels");
  const ch = app.channels.get(name);
  return { status: 200, body: { users: [...(ch?.members.keys() ?? [])].map((id) => ({ id })) } };
}

function terminateUser(app: AppRuntime, userId: string): Reply {
  for (const conn of app.connections.values()) {
    // 4009: the user was shut out on purpose, so pusher-js must not reconnect on its own.
    if (conn.userId === userId) void conn.shutdown(Code.Unauthorized, "Connections terminated for this user");
  }
  return { status: 200, body: {} };
}
