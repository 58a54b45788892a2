/**
 * npm run bench rules — what the rules engine adds to ticket creation: the same
 * tickets created with no rules, with 45 rules that do not match, and with those plus
 * 5 that do (priority, tags, note, assignment, auto-reply), in a fresh database on
 * the bench PostgreSQL. Prints per-ticket latency and throughput for both.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmbeddedPostgres } from "../lib/embedded-pg.mjs";
import { deploy } from "../db-migrate";
import { benchEnv } from "./db";
import { percentiles } from "./stats";

const N = Number(process.env.BENCH_TICKETS ?? 500);

export async function benchRules() {
  const root = path.resolve(import.meta.dirname, "../..");
  const server = await startEmbeddedPostgres({ dir: path.join(root, ".data/bench-postgres"), port: 54339, persistent: true });
  const name = `relaydesk_rules_${Date.now().toString(36)}`;
  await server.createDatabase(name);
  const url = server.url(name);
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
  const run = async (tag: string) => {
    for (let i = 0; i < 20; i++) await create(i, `${tag}warm`);
    const ms: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await create(i, tag);
      ms.push(performance.now() - t);
    }
    return { ...percentiles(ms), perSecond: N / ((performance.now() - t0) / 1000) };
  };

  try {
    const base = await run("none");
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
    await db.automationRule.createMany({ data: rules.slice(0, 45) });
    forgetRules();
    const idle = await run("idle");
    await db.automationRule.createMany({ data: rules.slice(45) });
    forgetRules();
    const withRules = await run("rules");
    const row = (label: string, p: typeof base) => `${label.padEnd(34)} p50 ${p.p50.toFixed(1).padStart(6)} ms  p95 ${p.p95.toFixed(1).padStart(6)} ms  p99 ${p.p99.toFixed(1).padStart(6)} ms  ${p.perSecond.toFixed(0).padStart(4)} tickets/s`;
    console.log(`Ticket creation (one transaction each, ${N} tickets, sequential):`);
    console.log(row("no rules", base));
    console.log(row("45 active rules, none matching", idle));
    console.log(row("50 active rules (5 acting)", withRules));
    console.log(`evaluating 45 rules adds p50 ${(idle.p50 - base.p50).toFixed(1)} ms, p95 ${(idle.p95 - base.p95).toFixed(1)} ms per ticket`);
    console.log(`50 rules of which 5 act (priority, tags, note, assignment + its email, auto-reply email) add p50 ${(withRules.p50 - base.p50).toFixed(1)} ms, p95 ${(withRules.p95 - base.p95).toFixed(1)} ms`);
  } finally {
    await db.$disconnect();
    await server.stop();
  }
}
