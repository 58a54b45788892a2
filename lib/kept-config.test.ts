import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { forgetKept, kept, keptConfigHeard, stopKeptConfig } from "@/lib/kept-config";
import { activeRules } from "@/lib/automation/engine";

// Another process: its own connection, which this process's module knows nothing of.
let other: pg.Client;

async function until(what: string, ok: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 250; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`still not: ${what}`);
}

/** A loader that counts its reads. */
function counted<T>(value: () => T) {
  const c = { reads: 0, load: async () => (c.reads++, value()) };
  return c;
}

beforeAll(async () => {
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
  await kept("webhooks", async () => []); // opens the listening connection
  await until("listening", keptConfigHeard);
});

afterAll(async () => {
  await other.end();
  await stopKeptConfig();
});

describe("configuration kept in memory", () => {
  it("is read once, and again as soon as another process's change commits", async () => {
    let version = 1;
    const rules = counted(() => version);
    expect(await kept("rules", rules.load)).toBe(1);
    expect(await kept("rules", rules.load)).toBe(1);
    expect(rules.reads).toBe(1);

    // A change still uncommitted is not heard of; its commit is.
    await other.query("BEGIN");
    await other.query(`UPDATE "AutomationRule" SET name = name`);
    version = 2;
    await new Promise((r) => setTimeout(r, 100));
    expect(await kept("rules", rules.load)).toBe(1);
    await other.query("COMMIT");
    await until("the commit is heard", async () => (await kept("rules", rules.load)) === 2);

    // A rolled-back change leaves it kept.
    const reads = rules.reads;
    await other.query("BEGIN");
    await other.query(`DELETE FROM "AutomationRule" WHERE false`);
    await other.query("ROLLBACK");
    await other.query(`SELECT pg_notify('relaydesk_config', 'nothing-kept')`); // a later notification: the rollback's would have come first
    await new Promise((r) => setTimeout(r, 100));
    expect(await kept("rules", rules.load)).toBe(2);
    expect(rules.reads).toBe(reads);
  });

  it("drops only what changed: a brand's name is not its business hours", async () => {
    const hours = counted(() => "hours");
    const hooks = counted(() => "hooks");
    await kept("brandHours", hours.load);
    await kept("webhooks", hooks.load);
    await other.query(`UPDATE "Brand" SET name = name`);
    await other.query(`UPDATE "Webhook" SET url = url`);
    await until("the webhooks' change is heard", async () => (await kept("webhooks", hooks.load), hooks.reads === 2));
    await kept("brandHours", hours.load);
    expect(hours.reads).toBe(1);
    await other.query(`UPDATE "Brand" SET "businessHoursId" = "businessHoursId"`);
    await until("the brands' hours change is heard", async () => (await kept("brandHours", hours.load), hours.reads === 2));
  });

  it("is not kept when a change was heard while it was being read", async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    let reads = 0;
    const reading = kept("slaPolicies", async () => (reads++, await slow, "old"));
    forgetKept("slaPolicies");
    release();
    expect(await reading).toBe("old");
    expect(await kept("slaPolicies", async () => (reads++, "new"))).toBe("new");
    expect(reads).toBe(2);
  });

  it("gives the rules engine a rule saved by another process on the next ticket change", async () => {
    forgetKept("rules"); // the tests above kept stand-ins under its name
    const before = (await activeRules(db)).length;
    await other.query(
      `INSERT INTO "AutomationRule" (id, name, trigger, conditions, actions, active, position, "createdAt", "updatedAt")
       VALUES ('kept-config-rule', 'Kept config', 'TICKET_CREATED', '{"match":"all","items":[]}', '[{"type":"set_priority","value":"HIGH"}]', true, 0, now(), now())`,
    );
    await until("the new rule is seen", async () => (await activeRules(db)).some((r) => r.id === "kept-config-rule"));
    expect((await activeRules(db)).length).toBe(before + 1);
  });
});
