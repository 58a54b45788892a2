import "server-only";
import pg from "pg";
import { env } from "@/lib/env";

/**
 * Configuration read on every ticket change — the active rules, webhooks, SLA policies and
 * the brands' business hours — kept in memory until it changes.
 *
 * Kept per process, not per module: Next.js bundles a module once per layer (the admin's
 * tRPC route, the contact form's server action, …), so a module-level cache cleared by an
 * admin's edit in one bundle stayed stale in the others. A change is seen by every process
 * through PostgreSQL: statement triggers (migration kept_config_notify) send the name of
 * what changed on the channel `relaydesk_config` when the change commits, and each process
 * listens on a connection of its own and drops its copy. The process that made the change
 * also drops it at once (forgetKept), before its answer leaves.
 *
 * Only a listener that has heard its own test notification counts. Until then (starting,
 * reconnecting, or a pooler in transaction mode that swallows notifications) nothing is
 * kept longer than UNHEARD_MS.
 */
export type KeptName = "rules" | "webhooks" | "slaPolicies" | "brandHours";
const NAMES: readonly KeptName[] = ["rules", "webhooks", "slaPolicies", "brandHours"];
export const KEPT_CHANNEL = "relaydesk_config";
const UNHEARD_MS = 5_000;
const RETRY_MS = 5_000;
const PING = "relaydesk:ping";

type State = {
  generation: Record<KeptName, number>;
  values: Map<KeptName, { generation: number; at: number; value: unknown }>;
  heard: boolean;
  client: pg.Client | null;
  retryAt: number;
};
const state: State = ((globalThis as { relaydeskKeptConfig?: State }).relaydeskKeptConfig ??= {
  generation: { rules: 0, webhooks: 0, slaPolicies: 0, brandHours: 0 },
  values: new Map(),
  heard: false,
  client: null,
  retryAt: 0,
});

/** `name`'s value as this process keeps it, or loaded by `load` (and kept, unless it changed meanwhile). */
export async function kept<T>(name: KeptName, load: () => Promise<T>): Promise<T> {
  listen();
  const hit = state.values.get(name);
  if (hit && hit.generation === state.generation[name] && (state.heard || Date.now() - hit.at < UNHEARD_MS)) return hit.value as T;
  const generation = state.generation[name];
  const value = await load();
  // A change heard while this was read may be missing from it: not kept.
  if (generation === state.generation[name]) state.values.set(name, { generation, at: Date.now(), value });
  return value;
}

/** After this process changed `name` (every process hears of it when the change commits). */
export function forgetKept(...names: KeptName[]) {
  for (const n of names) {
    state.generation[n] += 1;
    state.values.delete(n);
  }
}

/** Closes the listening connection (tests, shutdown); the next kept() opens it again. */
export async function stopKeptConfig() {
  const client = state.client;
  state.client = null;
  state.heard = false;
  await client?.end().catch(() => {});
}

function listen() {
  if (state.client || Date.now() < state.retryAt) return;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  state.client = client;
  const down = () => {
    if (state.client !== client) return;
    state.client = null;
    state.heard = false;
    state.retryAt = Date.now() + RETRY_MS;
    client.end().catch(() => {});
  };
  client.on("error", down);
  client.on("end", down);
  client.on("notification", (m) => {
    if (m.channel !== KEPT_CHANNEL || state.client !== client) return;
    if (m.payload === PING) {
      // Anything kept before this connection listened may have missed a change.
      if (!state.heard) forgetKept(...NAMES);
      state.heard = true;
      return;
    }
    for (const n of (m.payload ?? "").split(",")) if ((NAMES as string[]).includes(n)) forgetKept(n as KeptName);
  });
  client
    .connect()
    .then(() => {
      // The socket alone must not keep a worker or a test process alive.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      return client.query(`LISTEN ${KEPT_CHANNEL}`);
    })
    .then(() => client.query(`SELECT pg_notify($1, $2)`, [KEPT_CHANNEL, PING]))
    .catch(down);
}

/** Whether this process hears the database's change notifications (until then nothing is kept long). */
export const keptConfigHeard = () => state.heard;
