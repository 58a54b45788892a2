/**
 * A self-hosted server for the Pusher Channels protocol (v7): the official
 * `pusher` SDK and `pusher-js` client talk to it unchanged. WebSockets and the
 * REST API share one port, as they do at Pusher.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { createAppRuntime, type AppRuntime } from "./app";
import { Connection } from "./connection";
import { Code, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, errorFrame } from "./protocol";
import { createRestHandler } from "./rest";
import type { Limits, Logger, RealtimeServer, RealtimeServerOptions } from "./types";

export type { AppConfig, LogLevel, Logger, RealtimeServer, RealtimeServerOptions } from "./types";

/** Room for the frame envelope (event, channel) around a maximum-size payload. */
const FRAME_SLACK_BYTES = 2048;
/** How long close() lets in-flight REST requests finish before cutting them. */
const HTTP_DRAIN_MS = 2_000;

const defaultLogger: Logger = (level, msg, data) => {
  if (level === "warn" || level === "error") console.error(`[realtime] ${level}: ${msg}`, data ?? "");
};

function resolveLimits(opts: RealtimeServerOptions): Limits {
  const positive = (name: string, v: number | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`startRealtimeServer: ${name} must be a positive number`);
    return v;
  };
  return {
    activityTimeoutSec: positive("activityTimeoutSec", opts.activityTimeoutSec, 30),
    pongTimeoutMs: positive("pongTimeoutMs", opts.pongTimeoutMs, 30_000),
    clientEventRateLimit: positive("clientEventRateLimit", opts.clientEventRateLimit, 10),
    maxPayloadBytes: positive("maxPayloadBytes", opts.maxPayloadBytes, 10 * 1024),
    maxChannelsPerSocket: positive("maxChannelsPerSocket", opts.maxChannelsPerSocket, 100),
    subscriptionRateLimit: positive("subscriptionRateLimit", opts.subscriptionRateLimit, 20),
    maxBufferedBytes: positive("maxBufferedBytes", opts.maxBufferedBytes, 4 * 1024 * 1024),
  };
}

function indexApps(apps: AppRuntime[]): { byKey: Map<string, AppRuntime>; byId: Map<string, AppRuntime> } {
  const byKey = new Map<string, AppRuntime>();
  const byId = new Map<string, AppRuntime>();
  for (const app of apps) {
    const { id, key, secret } = app.config;
    if (!id || !key || !secret) throw new Error("startRealtimeServer: every app needs id, key and secret");
    if (byKey.has(key) || byId.has(id)) throw new Error(`startRealtimeServer: duplicate app id or key (${id})`);
    byKey.set(key, app);
    byId.set(id, app);
  }
  return { byKey, byId };
}

export async function startRealtimeServer(opts: RealtimeServerOptions): Promise<RealtimeServer> {
  const limits = resolveLimits(opts);
  const log = opts.logger ?? defaultLogger;
  if (opts.apps.length === 0) throw new Error("startRealtimeServer: at least one app is required");
  const webhook = {
    batchMs: opts.webhookBatchMs ?? 150,
    maxAttempts: opts.webhookMaxAttempts ?? 5,
    retryBaseMs: opts.webhookRetryBaseMs ?? 250,
    maxInFlight: opts.webhookMaxInFlight ?? 4,
    maxQueuedBatches: opts.webhookMaxQueuedBatches ?? 100,
  };
  const apps = opts.apps.map((config) => createAppRuntime({ ...config }, webhook, log));
  const { byKey, byId } = indexApps(apps);
  let closing: Promise<void> | undefined;

  const http = createServer(createRestHandler({ appsById: byId, limits, log }));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayloadBytes + FRAME_SLACK_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });

  const accept = (ws: WebSocket, key: string, protocol: number) => {
    // Until the connection is ours, a socket error must not become an unhandled 'error' event.
    ws.on("error", () => undefined);
    const app = byKey.get(key);
    if (!app) {
      ws.send(errorFrame(Code.AppNotFound, `App key ${key} not in this cluster`));
      ws.close(Code.AppNotFound, "App key not found");
      return;
    }
    if (!Number.isInteger(protocol) || protocol < MIN_PROTOCOL_VERSION || protocol > PROTOCOL_VERSION) {
      ws.send(errorFrame(Code.UnsupportedProtocol, `Unsupported protocol version ${protocol}`));
      ws.close(Code.UnsupportedProtocol, "Unsupported protocol version");
      return;
    }
    new Connection(ws, app, limits, log).start();
  };

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined);
    if (closing) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
      return;
    }
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = /^\/app\/([^/]+)$/.exec(url.pathname);
      if (!match) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
        return;
      }
      const key = decodeURIComponent(match[1]!);
      const protocol = Number(url.searchParams.get("protocol") ?? PROTOCOL_VERSION);
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, key, protocol));
    } catch (e) {
      // A mangled URL is the client's problem; it must never take the server down.
      log("debug", "bad upgrade request", { url: req.url, error: String(e) });
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    }
  });

  // One sweep for all sockets rather than a timer per socket: cheap with thousands of them.
  const sweepMs = Math.min(1000, Math.max(25, Math.min(limits.activityTimeoutSec * 1000, limits.pongTimeoutMs) / 4));
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const app of apps) for (const conn of app.connections.values()) conn.checkActivity(now);
  }, sweepMs);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      http.off("error", reject);
      resolve();
    });
  }).catch((e: unknown) => {
    clearInterval(sweep);
    throw e;
  });
  http.on("error", (e) => log("error", "HTTP server error", { error: e.message }));
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  log("info", "listening", { host: opts.host ?? "127.0.0.1", port });

  const shutdown = async () => {
    clearInterval(sweep);
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    // 4200 tells pusher-js to reconnect straight away, to whichever server is there next.
    const sockets = apps.flatMap((app) => [...app.connections.values()]);
    await Promise.all(sockets.map((c) => c.shutdown(Code.Reconnect, "Server is restarting")));
    http.closeIdleConnections();
    const drain = setTimeout(() => http.closeAllConnections(), HTTP_DRAIN_MS);
    await stopped;
    clearTimeout(drain);
    // Last, so the vacated/member_removed events of the sockets just closed are delivered too.
    await Promise.all(apps.map((app) => app.webhooks?.close()));
    log("info", "stopped", { port });
  };

  return {
    port,
    close: () => (closing ??= shutdown()),
    stats: () => ({
      connections: apps.reduce((n, app) => n + app.connections.size, 0),
      channels: apps.reduce((n, app) => n + app.channels.size, 0),
    }),
  };
}
