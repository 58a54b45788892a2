/**
 * Who is subscribed to what, per app. Presence is tracked per user, not per
 * socket: a user with two tabs is one member, added on the first socket and
 * removed with the last, which is what Pusher promises presence clients.
 */
import { channelKind, internalFrame, type ChannelKind } from "./protocol";

export interface Subscriber {
  readonly socketId: string;
  send(frame: Buffer): void;
}

export interface Member {
  userId: string;
  info: unknown;
}

interface PresenceEntry {
  info: unknown;
  sockets: Set<Subscriber>;
}

export class Channel {
  readonly kind: ChannelKind;
  readonly subscribers = new Set<Subscriber>();
  readonly members = new Map<string, PresenceEntry>();

  constructor(readonly name: string) {
    this.kind = channelKind(name);
  }

  presence(): { ids: string[]; hash: Record<string, unknown>; count: number } {
    const ids = [...this.members.keys()];
    const hash: Record<string, unknown> = {};
    // null, not undefined: pusher-js finds members by own property, and JSON drops undefined ones.
    for (const [id, m] of this.members) hash[id] = m.info ?? null;
    return { ids, hash, count: ids.length };
  }
}

export interface ChannelListener {
  occupied(channel: string): void;
  vacated(channel: string): void;
  memberAdded(channel: string, userId: string): void;
  memberRemoved(channel: string, userId: string): void;
}

export class ChannelRegistry {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly listener: ChannelListener) {}

  get size(): number {
    return this.channels.size;
  }

  get(name: string): Channel | undefined {
    return this.channels.get(name);
  }

  all(): IterableIterator<Channel> {
    return this.channels.values();
  }

  /**
   * Adds the socket; for presence also the member, telling the other subscribers
   * when the user is new here. The caller sends subscription_succeeded right
   * after, in the same tick, so no event can slip in before it.
   */
  subscribe(name: string, sub: Subscriber, member?: Member): Channel {
    let channel = this.channels.get(name);
    const isNew = !channel;
    if (!channel) {
      channel = new Channel(name);
      this.channels.set(name, channel);
    }
    channel.subscribers.add(sub);
    if (isNew) this.listener.occupied(name);

    if (channel.kind === "presence" && member) {
      const entry = channel.members.get(member.userId);
      if (entry) {
        entry.sockets.add(sub);
      } else {
        channel.members.set(member.userId, { info: member.info, sockets: new Set([sub]) });
        const frame = Buffer.from(
          internalFrame("pusher_internal:member_added", { user_id: member.userId, user_info: member.info ?? null }, name),
        );
        for (const other of channel.subscribers) if (other !== sub) other.send(frame);
        this.listener.memberAdded(name, member.userId);
      }
    }
    return channel;
  }

  unsubscribe(name: string, sub: Subscriber, userId?: string): void {
    const channel = this.channels.get(name);
    if (!channel || !channel.subscribers.delete(sub)) return;

    if (channel.kind === "presence" && userId !== undefined) {
      const entry = channel.members.get(userId);
      if (entry) {
        entry.sockets.delete(sub);
        if (entry.sockets.size === 0) {
          channel.members.delete(userId);
          if (channel.subscribers.size > 0) {
            const frame = Buffer.from(internalFrame("pusher_internal:member_removed", { user_id: userId }, name));
            for (const other of channel.subscribers) other.send(frame);
          }
          this.listener.memberRemoved(name, userId);
        }
      }
    }
    if (channel.subscribers.size === 0) {
      this.channels.delete(name);
      this.listener.vacated(name);
    }
  }

  /** Returns how many sockets the frame was handed to. */
  broadcast(name: string, frame: string, except?: Subscriber): number {
    const channel = this.channels.get(name);
    if (!channel) return 0;
    // Encoded once: with hundreds of subscribers, per-socket string encoding dominates.
    const buf = Buffer.from(frame);
    let n = 0;
    for (const sub of channel.subscribers) {
      if (sub === except) continue;
      sub.send(buf);
      n++;
    }
    return n;
  }
}
