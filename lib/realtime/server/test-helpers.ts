/**
 * Test plumbing: a server on an ephemeral port, the official SDKs pointed at
 * it, and promise helpers that wait for what a client would observe.
 */
import PusherServer from "pusher";
import PusherClient from "pusher-js";
import type { Channel } from "pusher-js";
import { afterEach } from "vitest";
import { startRealtimeServer } from "./index";
import type { AppConfig, RealtimeServer, RealtimeServerOptions } from "./types";

export const APP: AppConfig = { id: "4242", key: "test-key", secret: "test-secret" };
export const WAIT_MS = 10_000;

const cleanups: (() => unknown)[] = [];

/** Everything a test starts is stopped after it, even when the test fails half-way. */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

afterEach(async () => {
  const fns = cleanups.splice(0).reverse();
  for (const fn of fns) await fn();
});

export async function startServer(overrides: Partial<RealtimeServerOptions> = {}): Promise<RealtimeServer> {
  const server = await startRealtimeServer({ host: "127.0.0.1", port: 0, apps: [APP], logger: () => undefined, ...overrides });
  onCleanup(() => server.close());
  return server;
}

/**
 * For tests of the app's own publishing: a server for the whole file, and the app's
 * PUSHER_* configuration pointed at it. Call it before importing the app's modules,
 * which read that configuration once when they load; close it in afterAll.
 */
export async function startAppRealtime(): Promise<RealtimeServer> {
  const server = await startRealtimeServer({ host: "127.0.0.1", port: 0, apps: [APP], logger: () => undefined });
  Object.assign(process.env, { PUSHER_APP_ID: APP.id, PUSHER_KEY: APP.key, PUSHER_SECRET: APP.secret, PUSHER_HOST: "127.0.0.1", PUSHER_PORT: String(server.port) });
  return server;
}

export function sdk(port: number, app: AppConfig = APP): PusherServer {
  return new PusherServer({ appId: app.id, key: app.key, secret: app.secret, host: "127.0.0.1", port: String(port), useTLS: false });
}

export interface ClientOptions {
  key?: string;
  /** Presence identity, signed into channel_data by the "backend" (the server SDK). */
  user?: { user_id: string; user_info?: Record<string, unknown> };
  /** The secret the backend signs channel auth with; a wrong one makes forged auth. */
  authSecret?: string;
  activityTimeout?: number;
  pongTimeout?: number;
}

/** A pusher-js client whose channel authoriser plays the app backend, signing with the server SDK. */
export function client(port: number, opts: ClientOptions = {}): PusherClient {
  const backend = sdk(port, { ...APP, secret: opts.authSecret ?? APP.secret });
  const c = new PusherClient(opts.key ?? APP.key, {
    cluster: "local",
    wsHost: "127.0.0.1",
    wsPort: port,
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    activityTimeout: opts.activityTimeout,
    pongTimeout: opts.pongTimeout,
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, cb) => {
        const presence = channelName.startsWith("presence-") ? opts.user : undefined;
        cb(null, backend.authorizeChannel(socketId, channelName, presence));
      },
    },
    userAuthentication: {
      customHandler: ({ socketId }, cb) => {
        cb(null, backend.authenticateUser(socketId, { id: opts.user?.user_id ?? "anonymous", user_info: opts.user?.user_info }));
      },
    },
  });
  onCleanup(() => c.disconnect());
  return c;
}

export function withTimeout<T>(p: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function connected(c: PusherClient): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve) => {
      if (c.connection.state === "connected") return resolve(c.connection.socket_id);
      const onChange = ({ current }: { current: string }) => {
        if (current === "connected") {
          c.connection.unbind("state_change", onChange);
          resolve(c.connection.socket_id);
        }
      };
      c.connection.bind("state_change", onChange);
    }),
    "connection",
  );
}

/** Subscribes and resolves with the subscription_succeeded payload (the members for presence). */
export function subscribe(c: PusherClient, name: string): Promise<{ channel: Channel; data: unknown }> {
  const channel = c.subscribe(name);
  return withTimeout(
    new Promise((resolve, reject) => {
      channel.bind("pusher:subscription_succeeded", (data: unknown) => resolve({ channel, data }));
      channel.bind("pusher:subscription_error", (e: unknown) => reject(new Error(`subscription error: ${JSON.stringify(e)}`)));
    }),
    `subscription to ${name}`,
  );
}

export function nextEvent<T = unknown>(channel: Channel, event: string): Promise<{ data: T; metadata: { user_id?: string } }> {
  return withTimeout(
    new Promise((resolve) => {
      const handler = (data: T, metadata: { user_id?: string }) => {
        channel.unbind(event, handler);
        resolve({ data, metadata });
      };
      channel.bind(event, handler);
    }),
    `event ${event} on ${channel.name}`,
  );
}

export interface ClientError {
  type?: string;
  data?: { code?: number | null; message?: string };
  /** During the handshake pusher-js wraps the server's error one level deeper. */
  error?: { data?: { code?: number | null; message?: string } };
}

export function errorCode(e: ClientError): number | null | undefined {
  return e.data?.code ?? e.error?.data?.code;
}

export function errorMessage(e: ClientError): string | undefined {
  return e.data?.message ?? e.error?.data?.message;
}

/** The next error the connection reports (pusher:error frames and close codes alike) that matches. */
export function nextConnectionError(c: PusherClient, match: (e: ClientError) => boolean = () => true): Promise<ClientError> {
  return withTimeout(
    new Promise((resolve) => {
      const handler = (e: ClientError) => {
        if (!match(e)) return;
        c.connection.unbind("error", handler);
        resolve(e);
      };
      c.connection.bind("error", handler);
    }),
    "a connection error",
  );
}

export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
