export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, msg: string, data?: Record<string, unknown>) => void;

export interface AppConfig {
  id: string;
  key: string;
  secret: string;
  webhookUrl?: string;
}

export interface RealtimeServerOptions {
  host?: string;
  /** 0 picks an ephemeral port; read it back from the returned `port`. */
  port: number;
  apps: AppConfig[];
  /** Seconds of silence before the server pings a socket; also told to clients in the handshake. */
  activityTimeoutSec?: number;
  /** How long a pinged socket has to answer before it is closed with 4201. */
  pongTimeoutMs?: number;
  /** Client events per second per socket. */
  clientEventRateLimit?: number;
  /** Largest event payload (REST `data`, client event frame), in bytes. */
  maxPayloadBytes?: number;
  maxChannelsPerSocket?: number;
  /**
   * Subscribe and unsubscribe frames per second per socket, after a burst of twice
   * maxChannelsPerSocket (a reconnect resubscribes everything at once).
   */
  subscriptionRateLimit?: number;
  /** Outgoing bytes queued for one socket before it is treated as a slow consumer and dropped. */
  maxBufferedBytes?: number;
  webhookBatchMs?: number;
  webhookMaxAttempts?: number;
  webhookRetryBaseMs?: number;
  /** Webhook POSTs under way at once, per app. */
  webhookMaxInFlight?: number;
  /** Batches waiting for a free POST, per app; beyond this the oldest is dropped (and logged). */
  webhookMaxQueuedBatches?: number;
  logger?: Logger;
}

export interface RealtimeServer {
  port: number;
  close(): Promise<void>;
  stats(): { connections: number; channels: number };
}

/** Options with every default filled in, shared by the modules. */
export interface Limits {
  activityTimeoutSec: number;
  pongTimeoutMs: number;
  clientEventRateLimit: number;
  maxPayloadBytes: number;
  maxChannelsPerSocket: number;
  subscriptionRateLimit: number;
  maxBufferedBytes: number;
}
