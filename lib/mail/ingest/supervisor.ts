import "server-only";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import type { IngestContext } from "@/lib/mail/ingest/ingest-message";
import { DEFAULT_TIMING, MailboxSession, type IngestTiming } from "@/lib/mail/ingest/mailbox-session";

export type IngestOptions = {
  /** Identifies this replica in Mailbox.leaseOwner. */
  owner?: string;
  /** A held mailbox is renewed every scan; a crashed holder's lease runs out after this. */
  leaseMs?: number;
  /** How often leases are renewed and new, changed or deactivated mailboxes are noticed. */
  scanMs?: number;
  timing?: Partial<IngestTiming>;
  log?: (line: string) => void;
};

export type IngestSupervisor = { owner: string; held(): string[]; scan(): Promise<void>; stop(): Promise<void> };

/** Our mailbox addresses and agents' addresses, for loop detection and agent forwards (cached briefly). */
function contextLoader(db: Db) {
  let cached: { at: number; ctx: IngestContext } | null = null;
  return async () => {
    if (cached && Date.now() - cached.at < 30_000) return cached.ctx;
    const [boxes, agents] = await Promise.all([
      db.mailbox.findMany({ select: { address: true, forwardingAddress: true } }),
      db.user.findMany({ where: { active: true }, select: { email: true } }),
    ]);
    const ctx = { ourAddresses: boxes.flatMap((b) => [b.address, b.forwardingAddress].filter((x): x is string => !!x)), agentAddresses: agents.map((a) => a.email) };
    cached = { at: Date.now(), ctx };
    return ctx;
  };
}

/**
 * Runs the IMAP ingest of every active mailbox, each held by exactly one worker replica
 * through a lease row in PostgreSQL (taken with SKIP LOCKED, renewed every scan, taken
 * over by another replica when its holder stops renewing). A mailbox added, changed or
 * deactivated in the admin is picked up at the next scan, without a restart.
 */
export function startIngest(db: Db, opts: IngestOptions = {}): IngestSupervisor {
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const scanMs = opts.scanMs ?? 5_000;
  const timing = { ...DEFAULT_TIMING, ...opts.timing };
  const log = opts.log ?? ((line: string) => console.log(line));
  const sessions = new Map<string, { session: MailboxSession; version: number }>();
  const ctx = contextLoader(db);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const begin = (id: string, version: number, name: string) => {
    const session = new MailboxSession(db, id, ctx, timing, (line) => log(`[ingest ${name}] ${line}`));
    sessions.set(id, { session, version });
  };

  const scanOnce = async () => {
    const interval = `${leaseMs} milliseconds`;
    // Renew what we hold; whatever did not renew was lost, deactivated or deleted.
    const kept = await db.$queryRaw<{ id: string; version: Date; name: string }[]>`
      UPDATE "Mailbox" SET "leaseUntil" = now() + ${interval}::interval
      WHERE "leaseOwner" = ${owner} AND active RETURNING id, "updatedAt" AS version, name`;
    const keptIds = new Map(kept.map((k) => [k.id, k]));
    for (const [id, s] of [...sessions]) {
      const k = keptIds.get(id);
      if (!k) {
        sessions.delete(id);
        await s.session.stop();
        await db.$executeRaw`UPDATE "Mailbox" SET "leaseOwner" = NULL, "leaseUntil" = NULL, health = CASE WHEN active THEN health ELSE 'DISABLED' END WHERE id = ${id} AND ("leaseOwner" = ${owner} OR NOT active)`;
      } else if (k.version.getTime() !== s.version) {
        // Edited in the admin (server, password, folder…): reconnect with the new settings.
        await s.session.stop();
        begin(id, k.version.getTime(), k.name);
      }
    }
    await db.$executeRaw`UPDATE "Mailbox" SET health = 'DISABLED', "leaseOwner" = NULL, "leaseUntil" = NULL WHERE NOT active AND health <> 'DISABLED'`;
    const taken = await db.$queryRaw<{ id: string; version: Date; name: string }[]>`
      UPDATE "Mailbox" SET "leaseOwner" = ${owner}, "leaseUntil" = now() + ${interval}::interval
      WHERE id IN (SELECT id FROM "Mailbox" WHERE active AND ("leaseOwner" IS NULL OR "leaseUntil" < now()) FOR UPDATE SKIP LOCKED)
      RETURNING id, "updatedAt" AS version, name`;
    for (const t of taken) if (!sessions.has(t.id)) begin(t.id, t.version.getTime(), t.name);
  };

  const scan = () => {
    running = running.then(() => (stopped ? undefined : scanOnce())).catch((e: unknown) => log(`[ingest] scan failed: ${e instanceof Error ? e.message : String(e)}`));
    return running;
  };
  void scan();
  const timer = setInterval(() => void scan(), scanMs);

  return {
    owner,
    held: () => [...sessions.keys()],
    scan,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all([...sessions.values()].map((s) => s.session.stop()));
      sessions.clear();
      await db.$executeRaw`UPDATE "Mailbox" SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE "leaseOwner" = ${owner}`;
    },
  };
}
