import "server-only";
import { ImapFlow } from "imapflow";
import type { Db } from "@/lib/db";
import { decryptSecret } from "@/lib/crypto";
import { publish } from "@/lib/realtime/publish";
import { ingestRawMessage, parseRawMessage, skipPosition, type IngestContext } from "@/lib/mail/ingest/ingest-message";

export type IngestTiming = {
  /** Safety-net sync even without an IDLE notification (and the poll interval on servers without IDLE). */
  pollMs: number;
  /** Reconnect backoff: doubles from min to max. */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Limit for every IMAP command, so a hung server never stalls the mailbox silently. */
  commandTimeoutMs: number;
  /** Messages fetched per round trip. */
  batchSize: number;
};

export const DEFAULT_TIMING: IngestTiming = { pollMs: 60_000, backoffMinMs: 1_000, backoffMaxMs: 60_000, commandTimeoutMs: 60_000, batchSize: 50 };

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

const describe = (e: unknown) => {
  const err = e as { message?: string; responseText?: string; code?: string; authenticationFailed?: boolean };
  if (err?.authenticationFailed) return `Login refused by the server${err.responseText ? ` (${err.responseText})` : ""}`;
  return [err?.responseText ?? err?.message ?? String(e), err?.code && !String(err.message).includes(err.code) ? `(${err.code})` : ""].filter(Boolean).join(" ");
};

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

  /** Fetches and ingests every message above the stored position, in UID order. */
  private async sync(client: ImapFlow, brandId: string, uidValidity: bigint) {
    const t = this.timing;
    const row = await this.db.mailbox.findUniqueOrThrow({ where: { id: this.mailboxId }, select: { lastUid: true } });
    const found = await withTimeout(client.search({ uid: `${row.lastUid + 1n}:*` }, { uid: true }), t.commandTimeoutMs, "UID SEARCH");
    // "n:*" always matches the last message, even when its UID is below n.
    const uids = (found || []).map(BigInt).filter((u) => u > row.lastUid).sort((a, b) => (a < b ? -1 : 1));
    if (!uids.length) return;
    const ctx = await this.ctx();
    for (let i = 0; i < uids.length && !this.stopped; i += t.batchSize) {
      const chunk = uids.slice(i, i + t.batchSize);
      const messages = await withTimeout(client.fetchAll(chunk.join(","), { uid: true, source: true }, { uid: true }), t.commandTimeoutMs, "UID FETCH");
      const byUid = new Map(messages.map((m) => [BigInt(m.uid), m.source]));
      // Parse one message ahead, while the previous one commits.
      const parseAhead = (k: number) => {
        const src = byUid.get(chunk[k]!);
        return src ? parseRawMessage(src, ctx) : undefined;
      };
      let ahead = parseAhead(0);
      for (let k = 0; k < chunk.length; k++) {
        if (this.stopped) return;
        const uid = chunk[k]!;
        const source = byUid.get(uid);
        const parsed = ahead;
        ahead = k + 1 < chunk.length ? parseAhead(k + 1) : undefined;
        const pos = { uid, uidValidity };
        if (!source) {
          // Expunged between SEARCH and FETCH.
          await skipPosition(this.db, this.mailboxId, pos);
          continue;
        }
        try {
          const r = await ingestRawMessage(this.db, { id: this.mailboxId, brandId }, source, ctx, pos, parsed);
          if (r.action === "FAILED_PARSE") this.log(`UID ${uid}: failed to parse (${r.reason}); kept in the message center`);
          if (r.publications.length) {
            this.publishing++;
            this.published = this.published.then(() => publish(r.publications)).catch(() => {}).finally(() => this.publishing--);
            // A slow realtime server holds the mailbox back only once this many are waiting.
            if (this.publishing > 100) await this.published;
          }
        } catch (e) {
          // A database or storage failure: do not skip the message, reconnect and try again.
          throw new Error(`UID ${uid} could not be stored: ${describe(e)}`, { cause: e });
        }
      }
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
