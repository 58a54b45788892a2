import "server-only";
import { ImapFlow } from "imapflow";
import type { Db } from "@/lib/db";
import { decryptSecret } from "@/lib/crypto";
import { publish } from "@/lib/realtime/publish";
import { discardPrepared, ingestPrepared, prepareMessage, StoreError, type IngestContext, type PreparedMessage, type StoredGroup } from "@/lib/mail/ingest/ingest-message";

export type IngestTiming = {
  /** Safety-net sync even without an IDLE notification (and the poll interval on servers without IDLE). */
  pollMs: number;
  /** Reconnect backoff: doubles from min to max. */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Limit for every IMAP command, so a hung server never stalls the mailbox silently. */
  commandTimeoutMs: number;
  /** Messages fetched per round trip (at most, and at most FETCH_BYTES of them unless one is larger). */
  batchSize: number;
  /** Messages stored per transaction, at most (a backlog is stored in groups of this many; one new message alone). */
  commitSize: number;
};

export const DEFAULT_TIMING: IngestTiming = { pollMs: 60_000, backoffMinMs: 1_000, backoffMaxMs: 60_000, commandTimeoutMs: 60_000, batchSize: 100, commitSize: 20 };

/** Bytes of message sources fetched per round trip (their sizes are asked first). */
const FETCH_BYTES = 8 * 1024 * 1024;
/** Messages parsed and written to storage ahead of the one being stored, and how many at once. */
const PREPARE_AHEAD = 40;
const PREPARE_CONCURRENCY = 2;

export type SessionLog = (line: string) => void;

class CommandTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CommandTimeout(`IMAP ${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs at most n of the given tasks at once, in the order they were given. */
function concurrency(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            queue.shift()?.();
          });
      };
      if (active < n) run();
      else queue.push(run);
    });
}

const describe = (e: unknown) => {
  const err = e as { message?: string; responseText?: string; code?: string; authenticationFailed?: boolean };
  if (err?.authenticationFailed) return `Login refused by the server${err.responseText ? ` (${err.responseText})` : ""}`;
  return [err?.responseText ?? err?.message ?? String(e), err?.code && !String(err.message).includes(err.code) ? `(${err.code})` : ""].filter(Boolean).join(" ");
};

const parsedOf = (m: PreparedMessage) => (m.result?.ok ? m.result.parsed : null);

/**
 * Whether storing `group` may read what `ahead` writes, so it must wait for that to commit: a
 * reply, a [#n] token or a bounce (threading, chat replies and bounces look up earlier mail); a
 * sender or Message-ID of `ahead` (a customer's tickets keep their order; the first copy of a
 * message stays the one kept).
 */
function dependsOn(group: PreparedMessage[], ahead: PreparedMessage[]) {
  const looksBack = (m: PreparedMessage) => {
    const p = parsedOf(m);
    return !!p && (p.isBounce || !!p.inReplyTo || p.references.length > 0 || p.ticketToken !== null);
  };
  const keys = (m: PreparedMessage) => {
    const p = parsedOf(m);
    if (!p) return [`sha256:${m.rawSha256}`];
    return p.requester ? [p.dedupeKey, `from:${p.requester.address.trim().toLowerCase()}`] : [p.dedupeKey];
  };
  if (group.some(looksBack)) return true;
  const seen = new Set(ahead.flatMap(keys));
  return group.flatMap(keys).some((k) => seen.has(k));
}

/**
 * One mailbox, held by this worker: connect, select the folder, fetch everything above
 * the stored UID, then wait for IDLE notifications (or the poll timer) and fetch again.
 * Any failure closes the connection, is recorded on the mailbox (health, last error) and
 * is retried with exponential backoff — a mailbox never stops fetching silently.
 */
export class MailboxSession {
  private stopped = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  /** New mail was announced while we were busy: sync again before sleeping. */
  private dirty = false;
  private attempt = 0;
  /** Realtime notices go out in order, after their commits, without holding up the next message. */
  private published: Promise<void> = Promise.resolve();
  private publishing = 0;
  readonly done: Promise<void>;

  constructor(
    private readonly db: Db,
    readonly mailboxId: string,
    private readonly ctx: () => Promise<IngestContext>,
    private readonly timing: IngestTiming,
    private readonly log: SessionLog,
  ) {
    this.done = this.run();
  }

  async stop() {
    this.stopped = true;
    this.wake?.();
    const c = this.client;
    if (c) {
      try {
        await withTimeout(c.logout(), 3_000, "LOGOUT");
      } catch {
        c.close();
      }
    }
    await this.done;
    await this.published;
  }

  private async run() {
    while (!this.stopped) {
      try {
        await this.connectAndFollow();
      } catch (e) {
        if (this.stopped) break;
        await this.recordError(describe(e));
      } finally {
        this.client?.close();
        this.client = null;
      }
      if (this.stopped) break;
      this.dirty = false;
      const delay = Math.min(this.timing.backoffMaxMs, this.timing.backoffMinMs * 2 ** Math.min(this.attempt++, 16));
      await this.sleep(delay);
    }
  }

  private async connectAndFollow() {
    const mb = await this.db.mailbox.findUnique({
      where: { id: this.mailboxId },
      select: { brandId: true, imapHost: true, imapPort: true, imapTls: true, imapUser: true, imapPasswordEnc: true, imapFolder: true, uidValidity: true, active: true },
    });
    if (!mb?.active) {
      this.stopped = true;
      return;
    }
    const t = this.timing;
    const client = new ImapFlow({
      host: mb.imapHost,
      port: mb.imapPort,
      secure: mb.imapTls,
      auth: { user: mb.imapUser, pass: decryptSecret(mb.imapPasswordEnc) },
      logger: false,
      connectionTimeout: t.commandTimeoutMs,
      greetingTimeout: Math.min(t.commandTimeoutMs, 30_000),
      socketTimeout: Math.max(t.commandTimeoutMs * 5, 5 * 60_000),
      // IDLE right after a sync, so a new message is announced within a second.
      autoIdleDelay: 200,
      maxIdleTime: Math.min(t.pollMs, 5 * 60_000),
      missingIdleCommand: "STATUS",
    });
    this.client = client;
    let closed = false;
    // Errors surface through the promise of the command that failed or through 'close'.
    client.on("error", () => {});
    client.on("close", () => {
      closed = true;
      this.wake?.();
    });
    client.on("exists", () => {
      this.dirty = true;
      this.wake?.();
    });

    await withTimeout(client.connect(), t.commandTimeoutMs, "connect");
    const box = await withTimeout(client.mailboxOpen(mb.imapFolder), t.commandTimeoutMs, `SELECT ${mb.imapFolder}`);
    const uidValidity = BigInt(box.uidValidity);
    if (mb.uidValidity !== uidValidity) {
      // New or rebuilt mailbox: start from the beginning; the dedupe key skips what we already have.
      await this.db.$executeRaw`UPDATE "Mailbox" SET "uidValidity" = ${uidValidity}, "lastUid" = 0 WHERE id = ${this.mailboxId}`;
      if (mb.uidValidity !== null) this.log(`UIDVALIDITY changed (${mb.uidValidity} → ${uidValidity}): resyncing`);
    }
    await this.db.$executeRaw`UPDATE "Mailbox" SET health = 'CONNECTED', "lastSuccessAt" = now(), "errorSince" = NULL WHERE id = ${this.mailboxId}`;
    this.attempt = 0;

    while (!this.stopped && !closed) {
      this.dirty = false;
      await this.sync(client, mb.brandId, uidValidity);
      await this.db.$executeRaw`UPDATE "Mailbox" SET health = 'IDLE', "lastSuccessAt" = now(), "errorSince" = NULL WHERE id = ${this.mailboxId}`;
      await this.sleep(t.pollMs);
    }
    if (closed && !this.stopped) throw new Error("The server closed the connection");
  }

  /**
   * Fetches and ingests every message above the stored position, in UID order, as a pipeline:
   * sources are fetched in large batches (the next one while the current one is stored), parsed
   * and written to storage a few messages ahead, and stored in groups (ingestPrepared) — one
   * transaction per group, which also moves the position past it.
   */
  private async sync(client: ImapFlow, brandId: string, uidValidity: bigint) {
    const t = this.timing;
    const row = await this.db.mailbox.findUniqueOrThrow({ where: { id: this.mailboxId }, select: { lastUid: true } });
    // UIDs and sizes above the position in one command; "n:*" always matches the last message, even when its UID is below n.
    const listed = await withTimeout(client.fetchAll(`${row.lastUid + 1n}:*`, { uid: true, size: true }, { uid: true }), t.commandTimeoutMs, "UID FETCH (sizes)");
    const found = listed.map((m) => ({ uid: BigInt(m.uid), size: m.size ?? 0 })).filter((m) => m.uid > row.lastUid).sort((a, b) => (a.uid < b.uid ? -1 : 1));
    if (!found.length) return;
    const ctx = await this.ctx();
    const uids = found.map((m) => m.uid);

    // Fetch batches: up to batchSize messages and FETCH_BYTES (a larger message alone).
    const batches: bigint[][] = [];
    for (let i = 0, bytes = 0; i < found.length; i++) {
      const last = batches.at(-1);
      if (!last || last.length >= t.batchSize || bytes + found[i]!.size > FETCH_BYTES) {
        batches.push([found[i]!.uid]);
        bytes = found[i]!.size;
      } else {
        last.push(found[i]!.uid);
        bytes += found[i]!.size;
      }
    }
    const batchOf = new Map<bigint, number>();
    batches.forEach((b, i) => b.forEach((u) => batchOf.set(u, i)));
    const fetched = new Map<number, Promise<Map<bigint, Buffer>>>();
    const fetchBatch = (i: number) => {
      let p = fetched.get(i);
      if (!p) {
        p = withTimeout(client.fetchAll(batches[i]!.join(","), { uid: true, source: true }, { uid: true }), t.commandTimeoutMs, "UID FETCH").then((ms) => new Map(ms.map((m) => [BigInt(m.uid), m.source!] as const)));
        p.catch(() => {});
        fetched.set(i, p);
      }
      return p;
    };

    // Parse and store files a few messages ahead, PREPARE_CONCURRENCY at a time, in UID order.
    const limit = concurrency(PREPARE_CONCURRENCY);
    const window: { uid: bigint; ready: boolean; prepared: Promise<PreparedMessage> }[] = [];
    let next = 0;
    const fill = () => {
      while (next < uids.length && window.length < PREPARE_AHEAD && !this.stopped) {
        const uid = uids[next++]!;
        const batch = batchOf.get(uid)!;
        // Earlier batches' sources are held only by the messages still being prepared.
        fetched.delete(batch - 1);
        const source = fetchBatch(batch);
        // The next fetch goes out while this one is being prepared.
        if (batch + 1 < batches.length) void source.then(() => fetchBatch(batch + 1), () => {});
        const entry = { uid, ready: false, prepared: limit(async () => prepareMessage((await source).get(uid), ctx, uid)) };
        entry.prepared.then(() => (entry.ready = true), () => (entry.ready = true));
        window.push(entry);
      }
    };

    // A group is stored while the one before it commits (two transactions at once), unless it may
    // depend on that one: see dependsOn. Outcomes are handled, and the position caught up, in UID order.
    type Storing = { taken: PreparedMessage[]; after: bigint; last: bigint; result: Promise<StoredGroup> };
    let storing: Storing | null = null;
    let position = row.lastUid;
    const settle = async (s: Storing) => {
      let stored: StoredGroup;
      try {
        stored = await s.result;
      } catch (e) {
        // A database or storage failure: do not skip the message, reconnect and try again.
        throw e instanceof StoreError ? e : new Error(`Messages could not be stored: ${describe(e)}`, { cause: e });
      }
      // Stored before the group ahead of it had committed: every earlier group is stored now.
      if (!stored.positioned) {
        await this.db.$executeRaw`UPDATE "Mailbox" SET "lastUid" = GREATEST("lastUid", ${s.last}) WHERE id = ${this.mailboxId} AND "uidValidity" = ${uidValidity} AND "lastUid" >= ${s.after}`;
      }
      for (const r of stored.outcomes) if (r.action === "FAILED_PARSE") this.log(`UID ${r.uid}: failed to parse (${r.reason}); kept in the message center`);
      const publications = stored.outcomes.flatMap((r) => r.publications);
      if (publications.length) {
        this.publishing++;
        this.published = this.published.then(() => publish(publications)).catch(() => {}).finally(() => this.publishing--);
        // A slow realtime server holds the mailbox back only once this many are waiting.
        if (this.publishing > 20) await this.published;
      }
    };

    let group: PreparedMessage[] = [];
    try {
      fill();
      while (window.length && !this.stopped) {
        // The first waiting message, with those after it that are ready too (a backlog: a full group; new mail: one).
        await window[0]!.prepared;
        while (group.length < t.commitSize && window[0]?.ready) group.push(await window.shift()!.prepared);
        fill();
        const ahead: Storing | null = storing;
        if (ahead && dependsOn(group, ahead.taken)) {
          storing = null;
          await settle(ahead);
        }
        const taken = group;
        // ingestPrepared discards what it does not store.
        group = [];
        const next: Storing = { taken, after: position, last: taken.at(-1)!.uid!, result: ingestPrepared(this.db, { id: this.mailboxId, brandId }, taken, uidValidity, position) };
        next.result.catch(() => {});
        position = next.last;
        const before = storing;
        storing = next;
        if (before) await settle(before);
      }
      if (storing) {
        const last: Storing = storing;
        storing = null;
        await settle(last);
      }
    } finally {
      // Stopped or failed: what was prepared but not stored is fetched again next time.
      const left = window.splice(0);
      // A group still being stored discards what it does not store itself.
      const open = storing as Storing | null;
      await Promise.all([...group.map(discardPrepared), ...left.map((w) => w.prepared.then(discardPrepared, () => {})), open?.result.catch(() => {})]);
    }
  }

  private async recordError(message: string) {
    this.log(`error: ${message}`);
    try {
      await this.db.$executeRaw`UPDATE "Mailbox" SET health = 'ERROR', "lastError" = ${message.slice(0, 1000)}, "lastErrorAt" = now(), "errorSince" = COALESCE("errorSince", now()) WHERE id = ${this.mailboxId}`;
    } catch {
      // The database is down too; the next attempt records it.
    }
  }

  private sleep(ms: number) {
    if (this.dirty) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
