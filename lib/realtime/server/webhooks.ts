/**
 * Pusher-style webhooks: events are collected for a short window and POSTed
 * together, signed with the app secret, and retried with backoff when the
 * receiver fails, so a slow or briefly broken receiver never blocks sockets.
 * A receiver slower than the events (or a flood of subscribe cycles) meets a
 * fixed number of POSTs at once and a bounded backlog that sheds its oldest
 * batches, so memory and outgoing connections stay bounded.
 */
import { signWebhookBody } from "./auth/signature";
import type { Logger } from "./types";

export type WebhookEvent =
  | { name: "channel_occupied" | "channel_vacated"; channel: string }
  | { name: "member_added" | "member_removed"; channel: string; user_id: string }
  | { name: "client_event"; channel: string; event: string; data: unknown; socket_id: string; user_id?: string };

export interface WebhookOptions {
  url: string;
  key: string;
  secret: string;
  batchMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** POSTs (with their retries) under way at once. */
  maxInFlight: number;
  /** Full batches waiting for a free POST; beyond this the oldest is dropped. */
  maxQueuedBatches: number;
  logger: Logger;
}

/** One POST carries at most this many events, keeping bodies small for receivers. */
const MAX_EVENTS_PER_POST = 100;
const REQUEST_TIMEOUT_MS = 5_000;
/** close() waits this long for deliveries still retrying, then gives up on them. */
const CLOSE_DEADLINE_MS = 5_000;
/** Drops are reported at most this often, with how many there were, not once per batch. */
const DROP_LOG_EVERY_MS = 10_000;

export class WebhookDispatcher {
  private queue: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Batches waiting for one of the maxInFlight delivery slots. */
  private backlog: WebhookEvent[][] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private dropped = { batches: 0, events: 0, loggedAt: 0 };
  /** Settles when the backlog and every delivery are done (flush waits on it). */
  private idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(private readonly opts: WebhookOptions) {}

  enqueue(event: WebhookEvent): void {
    if (this.abort.signal.aborted) return;
    this.queue.push(event);
    if (this.queue.length >= MAX_EVENTS_PER_POST) this.flushQueue();
    else this.timer ??= setTimeout(() => this.flushQueue(), this.opts.batchMs);
  }

  /** Sends what is queued and waits for every delivery, retries included. */
  async flush(): Promise<void> {
    this.flushQueue();
    while (this.inFlight.size > 0 || this.backlog.length > 0) {
      if (!this.idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.idle = { promise, resolve };
      }
      await this.idle.promise;
    }
  }

  /** How many POSTs are under way now (tests and the bench watch it). */
  get postsInFlight(): number {
    return this.inFlight.size;
  }

  async close(): Promise<void> {
    const deadline = setTimeout(() => this.abort.abort(), CLOSE_DEADLINE_MS);
    try {
      await this.flush();
    } finally {
      clearTimeout(deadline);
      this.abort.abort();
      if (this.dropped.batches > 0) this.dropped.loggedAt = 0;
      this.drop([]);
    }
  }

  private flushQueue(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) this.backlog.push(this.queue.splice(0, MAX_EVENTS_PER_POST));
    const over = this.backlog.length - this.opts.maxQueuedBatches;
    if (over > 0) this.drop(this.backlog.splice(0, over));
    this.pump();
  }

  private pump(): void {
    if (this.abort.signal.aborted) this.backlog = [];
    while (this.inFlight.size < this.opts.maxInFlight && this.backlog.length > 0) {
      const events = this.backlog.shift()!;
      const p = this.deliver(events).finally(() => {
        this.inFlight.delete(p);
        this.pump();
      });
      this.inFlight.add(p);
    }
    if (this.inFlight.size === 0 && this.backlog.length === 0 && this.idle) {
      this.idle.resolve();
      this.idle = undefined;
    }
  }

  /** The oldest batches go: the newest occupancy and presence facts are the ones receivers need. */
  private drop(batches: WebhookEvent[][]): void {
    if (batches.length === 0 && this.dropped.batches === 0) return;
    this.dropped.batches += batches.length;
    this.dropped.events += batches.reduce((n, b) => n + b.length, 0);
    const now = Date.now();
    if (now - this.dropped.loggedAt < DROP_LOG_EVERY_MS) return;
    this.opts.logger("warn", "webhook backlog full: dropped the oldest batches", {
      url: this.opts.url,
      batches: this.dropped.batches,
      events: this.dropped.events,
      maxQueuedBatches: this.opts.maxQueuedBatches,
    });
    this.dropped = { batches: 0, events: 0, loggedAt: now };
  }

  private async deliver(events: WebhookEvent[]): Promise<void> {
    // The body (and its time_ms) is fixed once, so every retry carries the same signed payload.
    const body = JSON.stringify({ time_ms: Date.now(), events });
    const headers = {
      "Content-Type": "application/json",
      "X-Pusher-Key": this.opts.key,
      "X-Pusher-Signature": signWebhookBody(this.opts.secret, body),
    };
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      let status = 0;
      let error: unknown;
      try {
        const res = await fetch(this.opts.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
      } catch (e) {
        error = e;
      }
      // A 4xx other than timeout/throttling means the receiver rejects this body; resending cannot help.
      const retryable = status === 0 || status >= 500 || status === 408 || status === 429;
      if (!retryable || attempt === this.opts.maxAttempts || this.abort.signal.aborted) {
        this.opts.logger("warn", "webhook delivery failed", {
          url: this.opts.url,
          status,
          attempts: attempt,
          events: events.length,
          error: error instanceof Error ? error.message : undefined,
        });
        return;
      }
      const delay = this.opts.retryBaseMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      await sleep(delay, this.abort.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
