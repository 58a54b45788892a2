/**
 * npm run bench rules — what the rules engine adds to ticket creation. The same kind of
 * ticket is created (one transaction each, sequentially) in a fresh database on the bench
 * PostgreSQL with three rule sets:
 *   no rules       — no active rule at all;
 *   45 idle rules  — 45 active rules whose conditions never match;
 *   50 active      — those plus 5 that match and act (priority and a tag on every tenth
 *                    ticket, a tag, a note, round-robin assignment with its email, an
 *                    auto-reply email): the realistic desk, 50 enabled rules of which a few act.
 * The sets alternate in short rounds, so a busy neighbour on the machine slows all three
 * alike. Prints latency per ticket, throughput, statements per ticket, and what the rules
 * add to the latency compared with no rules.
 * BENCH_TICKETS (per set, default 500), BENCH_SQL_LOG=<file> writes each statement's time
 * (<file>.none, .idle, .full) and prints each set's statements by their time per ticket.
 * The database is dropped at the end.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmbeddedPostgres } from "../lib/embedded-pg.mjs";
import { deploy } from "../db-migrate";
import { benchEnv } from "./db";
import { percentiles } from "./stats";

const N = Number(process.env.BENCH_TICKETS ?? 500);
const ROUND = 25;

export async function benchRules() {
  const root = path.resolve(import.meta.dirname, "../..");
  const server = await startEmbeddedPostgres({ dir: path.join(root, ".data/bench-postgres"), port: 54339, persistent: true });
  const name = `relaydesk_rules_${Date.now().toString(36)}`;
  await server.createDatabase(name);
  const url = server.socketUrl(name); // as quickstart connects
  await deploy(url);
  benchEnv(url);
  const { db } = await import("@/lib/db");
  const { seedDemo } = await import("@/lib/seed/demo");
  const { createTicket } = await import("@/lib/tickets/create");
  const { CUSTOMER } = await import("@/lib/tickets/actor");
  const { forgetRules } = await import("@/lib/automation/engine");
  await seedDemo(db);
  const acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } })).id;
  const billing = (await db.group.findFirstOrThrow({ where: { name: "Billing" }, select: { id: true } })).id;
  await db.user.updateMany({ data: { agentStatus: "ONLINE" } });

  // Statements per ticket: every query any pool client sends while a ticket is created.
  let statements = 0;
  const sqlLog: string[] | null = process.env.BENCH_SQL_LOG ? [] : null;
  const pgClient = (await import("pg")).default.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = pgClient.query;
  pgClient.query = function (this: unknown, ...a: unknown[]) {
    statements++;
    const r = query.apply(this, a);
    if (sqlLog && r instanceof Promise) {
      const text = String(typeof a[0] === "string" ? a[0] : (a[0] as { text?: string })?.text).replace(/\s+/g, " ").trim().slice(0, 160);
      const t = performance.now();
      void r.then(() => sqlLog.push(`${(performance.now() - t).toFixed(2)}\t${text}`), () => {});
    }
    return r;
  };

  const create = (i: number, tag: string) =>
    db.$transaction((tx) =>
      createTicket(tx, {
        brandId: acme,
        channel: "EMAIL",
        subject: `${i % 10 === 0 ? "Urgent: " : ""}Order ${tag}-${i} has not arrived`,
        customer: { email: `bench-${tag}-${i}@example.com`, name: `Bench ${i}` },
        message: { kind: "CUSTOMER", html: null, text: "Where is my order? ".repeat(20), fromAddress: `bench-${tag}-${i}@example.com`, emailMessageId: `${tag}-${i}@bench.example` },
        actor: CUSTOMER,
      }),
    );

  const rules = [];
  for (let i = 0; i < 45; i++) {
    rules.push({ name: `Non-matching ${i}`, trigger: "TICKET_CREATED" as const, position: i, conditions: { match: "all", items: [{ field: "subject", op: "contains", value: `no-such-word-${i}` }, { field: "senderDomain", op: "is", value: "nowhere.example" }] }, actions: [{ type: "set_priority", value: "LOW" }] });
  }
  rules.push(
    { name: "Urgent", trigger: "TICKET_CREATED" as const, position: 45, conditions: { match: "any", items: [{ field: "subject", op: "contains", value: "urgent" }] }, actions: [{ type: "set_priority", value: "HIGH" }, { type: "add_tags", value: ["urgent"] }] },
    { name: "Orders", trigger: "TICKET_CREATED" as const, position: 46, conditions: { match: "all", items: [{ field: "subject", op: "contains", value: "order" }] }, actions: [{ type: "add_tags", value: ["orders"] }] },
    { name: "Note", trigger: "TICKET_CREATED" as const, position: 47, conditions: { match: "all", items: [{ field: "channel", op: "is", value: "EMAIL" }] }, actions: [{ type: "add_note", value: "Check the carrier status first." }] },
    { name: "Assign", trigger: "TICKET_CREATED" as const, position: 48, conditions: { match: "all", items: [] }, actions: [{ type: "assign", value: "round_robin", groupId: billing }] },
    { name: "Auto-reply", trigger: "TICKET_CREATED" as const, position: 49, conditions: { match: "all", items: [{ field: "channel", op: "is", value: "EMAIL" }] }, actions: [{ type: "auto_reply", open: "Thanks, we are on it.", closed: "Thanks, we are closed." }] },
  );
  await db.automationRule.createMany({ data: rules.map((r) => ({ ...r, active: false })) });
  const sets = [
    { key: "none", label: "no rules", active: 0 },
    { key: "idle", label: "45 active rules, none matching", active: 45 },
    { key: "full", label: "50 active rules (5 acting)", active: 50 },
  ] as const;
  const activate = async (active: number) => {
    await db.automationRule.updateMany({ data: { active: false } });
    await db.automationRule.updateMany({ where: { position: { lt: active } }, data: { active: true } });
    forgetRules();
  };
  const results = new Map(sets.map((s) => [s.key, { ms: [] as number[], busy: 0, statements: 0, sql: [] as string[] }]));

  try {
    // Warm-up: module loading, JIT, connection pool, caches.
    for (const s of sets) {
      await activate(s.active);
      for (let i = 0; i < 20; i++) await create(i, `${s.key}warm`);
    }
    for (let done = 0; done < N; done += ROUND) {
      for (const s of sets) {
        await activate(s.active);
        const r = results.get(s.key)!;
        statements = 0;
        if (sqlLog) sqlLog.length = 0;
        const t0 = performance.now();
        for (let i = done; i < Math.min(N, done + ROUND); i++) {
          const t = performance.now();
          await create(i, s.key);
          r.ms.push(performance.now() - t);
        }
        r.busy += performance.now() - t0;
        r.statements += statements;
        if (sqlLog) r.sql.push(...sqlLog);
      }
    }
    const base = percentiles(results.get("none")!.ms);
    console.log(`Ticket creation, one transaction each, ${N} tickets per rule set, sequential, sets alternating in rounds of ${ROUND}:`);
    for (const s of sets) {
      const r = results.get(s.key)!;
      const p = percentiles(r.ms);
      const add = s.key === "none" ? "" : `   adds p50 ${(p.p50 - base.p50).toFixed(1).padStart(5)} ms  p95 ${(p.p95 - base.p95).toFixed(1).padStart(5)} ms`;
      console.log(
        `${s.label.padEnd(32)} p50 ${p.p50.toFixed(1).padStart(5)} ms  p95 ${p.p95.toFixed(1).padStart(5)} ms  p99 ${p.p99.toFixed(1).padStart(5)} ms  ${(r.ms.length / (r.busy / 1000)).toFixed(0).padStart(4)} tickets/s  ${(r.statements / r.ms.length).toFixed(1).padStart(4)} statements/ticket${add}`,
      );
      if (sqlLog) (await import("node:fs")).writeFileSync(`${process.env.BENCH_SQL_LOG}.${s.key}`, r.sql.join("\n"));
    }
    if (sqlLog) {
      // Where each set's time goes: the statements by their time per ticket (as the client waits for them).
      for (const s of sets) {
        const r = results.get(s.key)!;
        const by = new Map<string, { n: number; ms: number }>();
        for (const line of r.sql) {
          const [ms, text] = line.split("\t") as [string, string];
          const key = text.slice(0, 60);
          const e = by.get(key) ?? { n: 0, ms: 0 };
          e.n++;
          e.ms += Number(ms);
          by.set(key, e);
        }
        console.log(`${s.label}: statements by time per ticket`);
        for (const [text, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)) {
          console.log(`  ${(e.ms / r.ms.length).toFixed(2).padStart(6)} ms  ${(e.n / r.ms.length).toFixed(2).padStart(5)}×  ${text}`);
        }
      }
    }
    const full = percentiles(results.get("full")!.ms);
    console.log(`50 active rules (5 acting: priority, tags, note, assignment + its email, auto-reply email) add p50 ${(full.p50 - base.p50).toFixed(1)} ms, p95 ${(full.p95 - base.p95).toFixed(1)} ms per ticket (target: p95 ≤ 20 ms)`);
  } finally {
    await db.$disconnect();
    const admin = new (await import("pg")).default.Client({ connectionString: server.url("postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}
