/**
 * One client socket: the Pusher handshake, subscriptions, client events,
 * sign-in and liveness. Nothing a client sends can throw out of here; bad
 * input earns a pusher:error and the socket (and everyone else) carries on.
 */
import { randomInt } from "node:crypto";
import { WebSocket, type RawData } from "ws";
import type { AppRuntime } from "./app";
import { verifyChannelAuth, verifyUserAuth } from "./auth/signature";
import type { Member, Subscriber } from "./channels";
import {
  Code,
  MAX_EVENT_NAME,
  MAX_USER_ID,
  MAX_USER_INFO_BYTES,
  channelKind,
  dataObject,
  errorFrame,
  eventFrame,
  internalFrame,
  isValidChannelName,
  parseFrame,
  subscriptionErrorFrame,
  userIdOfChannel,
} from "./protocol";
import { TokenBucket } from "./rate-limit";
import type { Limits, Logger } from "./types";

/** A socket that does not finish the close handshake in this time is cut, freeing its slot. */
const CLOSE_GRACE_MS = 2_000;
const TEXT = { binary: false } as const;

export function newSocketId(taken: (id: string) => boolean): string {
  // Random rather than sequential: socket ids are visible to other clients' auth endpoints.
  for (;;) {
    const id = `${randomInt(1, 2 ** 31 - 1)}.${randomInt(1, 2 ** 31 - 1)}`;
    if (!taken(id)) return id;
  }
}

export class Connection implements Subscriber {
  readonly socketId: string;
  /** Channel name → the presence user id this socket joined as (undefined elsewhere). */
  private readonly subscriptions = new Map<string, string | undefined>();
  private readonly clientEvents: TokenBucket;
  private readonly subscriptionFrames: TokenBucket;
  private lastActivity = Date.now();
  private pingSentAt: number | null = null;
  private closing = false;
  private cleanedUp = false;
  private killTimer: NodeJS.Timeout | undefined;
  private user: { id: string; info: unknown } | undefined;
  readonly closed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    readonly app: AppRuntime,
    private readonly limits: Limits,
    private readonly log: Logger,
  ) {
    this.socketId = newSocketId((id) => app.connections.has(id));
    this.clientEvents = new TokenBucket(limits.clientEventRateLimit);
    this.subscriptionFrames = new TokenBucket(limits.subscriptionRateLimit, Date.now(), 2 * limits.maxChannelsPerSocket);
    this.closed = new Promise((resolve) => ws.once("close", () => resolve()));
  }

  get userId(): string | undefined {
    return this.user?.id;
  }

  start(): void {
    this.app.connections.set(this.socketId, this);
    this.ws.on("message", (data, isBinary) => {
      try {
        this.onMessage(data, isBinary);
      } catch (e) {
        this.log("error", "message handler failed", { socketId: this.socketId, error: String(e) });
      }
    });
    // pusher-js pings with frames; other clients may use WebSocket-level pings. Either proves liveness.
    this.ws.on("ping", () => this.touch());
    this.ws.on("pong", () => this.touch());
    this.ws.on("error", (e) => this.log("debug", "socket error", { socketId: this.socketId, error: e.message }));
    this.ws.on("close", () => {
      clearTimeout(this.killTimer);
      this.cleanup();
    });
    this.send(
      internalFrame("pusher:connection_established", {
        socket_id: this.socketId,
        activity_timeout: this.limits.activityTimeoutSec,
      }),
    );
  }

  send(frame: Buffer | string): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.dropSlowConsumer();
      return;
    }
    this.ws.send(frame, TEXT);
  }

  /** Closes with a Pusher close code; resolves once the socket is gone. */
  shutdown(code: number, reason: string): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      try {
        this.ws.close(code, reason);
      } catch {
        this.ws.terminate();
      }
      this.killTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      this.killTimer.unref();
    }
    return this.closed;
  }

  /** Called periodically by the server: ping idle sockets, close the ones that never answered. */
  checkActivity(now: number): void {
    if (this.closing) return;
    if (this.pingSentAt !== null) {
      if (now - this.pingSentAt >= this.limits.pongTimeoutMs) {
        void this.shutdown(Code.PongTimeout, "Pong reply not received");
      }
    } else if (now - this.lastActivity >= this.limits.activityTimeoutSec * 1000) {
      this.pingSentAt = now;
      this.send(internalFrame("pusher:ping", {}));
    }
  }

  private touch(): void {
    this.lastActivity = Date.now();
    this.pingSentAt = null;
  }

  /**
   * A socket that cannot keep up would otherwise buffer every broadcast in memory.
   * 4100 asks pusher-js to reconnect with backoff; its subscriptions are released
   * now (not when the close handshake ends) so presence stays truthful.
   */
  private dropSlowConsumer(): void {
    this.log("warn", "dropping slow consumer", {
      socketId: this.socketId,
      bufferedBytes: this.ws.bufferedAmount,
    });
    void this.shutdown(Code.OverCapacity, "Slow consumer: too much undelivered data");
    setImmediate(() => this.cleanup());
  }

  private cleanup(): void {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    for (const [channel, userId] of this.subscriptions) this.app.channels.unsubscribe(channel, this, userId);
    this.subscriptions.clear();
    this.app.connections.delete(this.socketId);
  }

  private onMessage(raw: RawData, isBinary: boolean): void {
    this.touch();
    if (this.closing) return;
    const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    if (isBinary) {
      this.send(errorFrame(null, "Binary frames are not supported"));
      return;
    }
    if (bytes.length > this.limits.maxPayloadBytes) {
      this.send(errorFrame(null, `Message of ${bytes.length} bytes exceeds the ${this.limits.maxPayloadBytes} byte limit`));
      return;
    }
    const frame = parseFrame(bytes.toString("utf8"));
    if (!frame) {
      this.send(errorFrame(null, "Malformed message: expected JSON with an event name"));
      return;
    }
    switch (frame.event) {
      case "pusher:ping":
        this.send(internalFrame("pusher:pong", {}));
        return;
      case "pusher:pong":
        return;
      case "pusher:subscribe":
        this.subscribe(frame.data);
        return;
      case "pusher:unsubscribe":
        this.unsubscribe(frame.data);
        return;
      case "pusher:signin":
        this.signin(frame.data);
        return;
    }
    if (frame.event.startsWith("client-")) this.clientEvent(frame.event, frame.channel, frame.data);
    else this.send(errorFrame(null, `Unsupported event: ${frame.event.slice(0, MAX_EVENT_NAME)}`));
  }

  private rejectSubscription(channel: string, status: number, message: string, code: number | null): void {
    this.send(subscriptionErrorFrame(channel, status, message));
    this.send(errorFrame(code, message));
  }

  private subscribe(data: unknown): void {
    const d = dataObject(data);
    const channel = d?.channel;
    if (!d || !isValidChannelName(channel)) {
      const name = typeof channel === "string" ? channel.slice(0, 200) : "";
      if (name) this.rejectSubscription(name, 400, "Invalid channel name", null);
      else this.send(errorFrame(null, "pusher:subscribe needs a valid channel name"));
      return;
    }
    // Each subscribe/unsubscribe cycle can queue webhooks and presence broadcasts, so the frames
    // themselves are limited, not only the channels held. As Pusher does with client events, the
    // answer is a pusher:error 4301 on an open socket: closing with 43xx would make pusher-js
    // give up for good ("refused"), and an app that subscribes eagerly is not an attacker.
    if (!this.subscriptionFrames.take()) {
      this.rejectSubscription(channel, 429, "Subscription rejected due to rate limit", Code.RateLimited);
      return;
    }
    if (this.subscriptions.has(channel)) {
      // pusher-js resubscribes after glitches; repeating the answer is harmless, re-adding is not.
      this.sendSubscribed(channel);
      return;
    }
    if (this.subscriptions.size >= this.limits.maxChannelsPerSocket) {
      this.rejectSubscription(channel, 429, `Subscription limit of ${this.limits.maxChannelsPerSocket} channels reached`, null);
      return;
    }

    let member: Member | undefined;
    switch (channelKind(channel)) {
      case "public":
        break;
      case "user":
        if (!this.user || userIdOfChannel(channel) !== this.user.id) {
          this.rejectSubscription(channel, 403, "Server-to-user channels require signing in as that user", Code.Unauthorized);
          return;
        }
        break;
      case "private":
      case "encrypted":
        if (!verifyChannelAuth(this.app.config, this.socketId, channel, d.auth)) {
          this.rejectSubscription(channel, 401, `Invalid signature for channel ${channel}`, Code.Unauthorized);
          return;
        }
        break;
      case "presence": {
        const result = this.presenceMember(channel, d);
        if (typeof result === "string") {
          this.rejectSubscription(channel, 401, result, Code.Unauthorized);
          return;
        }
        member = result;
        break;
      }
    }

    this.app.channels.subscribe(channel, this, member);
    this.subscriptions.set(channel, member?.userId);
    this.sendSubscribed(channel);
  }

  /** The member a presence subscription joins as, or why it may not. */
  private presenceMember(channel: string, d: Record<string, unknown>): Member | string {
    const channelData = d.channel_data;
    if (channelData === undefined || channelData === null) {
      // pusher-js omits channel_data when the socket signed in; the signed-in user is the member then.
      if (!this.user) return "Presence channels need channel_data or a signed-in user";
      if (!verifyChannelAuth(this.app.config, this.socketId, channel, d.auth)) {
        return `Invalid signature for channel ${channel}`;
      }
      return { userId: this.user.id, info: this.user.info };
    }
    if (typeof channelData !== "string") return "channel_data must be a JSON string";
    if (!verifyChannelAuth(this.app.config, this.socketId, channel, d.auth, channelData)) {
      return `Invalid signature for channel ${channel}`;
    }
    const parsed = dataObject(channelData);
    const rawId = parsed?.user_id;
    const userId = typeof rawId === "number" && Number.isFinite(rawId) ? String(rawId) : rawId;
    if (typeof userId !== "string" || userId === "" || userId.length > MAX_USER_ID) {
      return `channel_data needs a user_id of 1-${MAX_USER_ID} characters`;
    }
    const info = parsed?.user_info;
    if (info !== undefined && Buffer.byteLength(JSON.stringify(info)) > MAX_USER_INFO_BYTES) {
      return `user_info exceeds ${MAX_USER_INFO_BYTES} bytes`;
    }
    return { userId, info };
  }

  private sendSubscribed(channel: string): void {
    const ch = this.app.channels.get(channel);
    const data = ch?.kind === "presence" ? { presence: ch.presence() } : {};
    this.send(internalFrame("pusher_internal:subscription_succeeded", data, channel));
  }

  private unsubscribe(data: unknown): void {
    // Unsubscribes spend from the same allowance but are always carried out: refusing one would
    // leave the server holding a channel the client has let go (and each needed an admitted subscribe).
    this.subscriptionFrames.take();
    const channel = dataObject(data)?.channel;
    if (typeof channel !== "string" || !this.subscriptions.has(channel)) return;
    const userId = this.subscriptions.get(channel);
    this.subscriptions.delete(channel);
    this.app.channels.unsubscribe(channel, this, userId);
  }

  private signin(data: unknown): void {
    const d = dataObject(data);
    const userData = d?.user_data;
    const parsed = typeof userData === "string" ? dataObject(userData) : null;
    const id = parsed?.id;
    const valid =
      typeof userData === "string" &&
      verifyUserAuth(this.app.config, this.socketId, d?.auth, userData) &&
      typeof id === "string" &&
      id !== "" &&
      id.length <= MAX_USER_ID;
    if (!valid || (this.user && this.user.id !== id)) {
      // As Pusher does: a failed sign-in ends the connection, and 4009 keeps pusher-js from retrying it.
      this.send(errorFrame(Code.Unauthorized, "Sign-in refused: invalid signature or user_data"));
      void this.shutdown(Code.Unauthorized, "Sign-in refused");
      return;
    }
    this.user = { id, info: parsed?.user_info };
    this.send(internalFrame("pusher:signin_success", { user_data: userData }));
  }

  private clientEvent(event: string, channel: string | undefined, data: unknown): void {
    if (event.length > MAX_EVENT_NAME) {
      this.send(errorFrame(null, `Client event rejected - event name longer than ${MAX_EVENT_NAME} characters`));
      return;
    }
    const kind = channel === undefined ? undefined : channelKind(channel);
    if (channel === undefined || (kind !== "private" && kind !== "presence")) {
      this.send(errorFrame(null, "Client event rejected - only supported on private and presence channels"));
      return;
    }
    if (!this.subscriptions.has(channel)) {
      this.send(errorFrame(null, `Client event rejected - not subscribed to ${channel}`));
      return;
    }
    if (!this.clientEvents.take()) {
      this.send(errorFrame(Code.ClientEventRejected, "Client event rejected due to rate limit"));
      return;
    }
    const userId = kind === "presence" ? this.subscriptions.get(channel) : undefined;
    this.app.channels.broadcast(channel, eventFrame(event, channel, data, userId), this);
    this.app.webhooks?.enqueue({
      name: "client_event",
      channel,
      event,
      data: typeof data === "string" ? data : JSON.stringify(data),
      socket_id: this.socketId,
      ...(userId !== undefined ? { user_id: userId } : {}),
    });
  }
}
