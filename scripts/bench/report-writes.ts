/**
 * Part of `npm run bench reports`: what the report triggers (migrations report_rollups,
 * report_reply_rollup, report_spans, report_sla_live, report_span_totals: day counts, reply counts,
 * duration spans, live SLA tickets, reopen flags, span change counts) add to ticket writes — creating a ticket, an agent's reply, resolving — in a throwaway database on
 * the same server, alternating rounds with the triggers on and off so both see the same load.
 */
import pg from "pg";
import { deploy } from "../db-migrate";
import { percentiles } from "./stats";

const TRIGGERS = [
  ["Ticket", "report_rollup_insert"], ["Ticket", "report_rollup_update"], ["Ticket", "report_rollup_delete"], ["TicketTag", "report_rollup_tag"],
  ["Message", "report_rollup_message_insert"], ["Message", "report_rollup_message_update"], ["Message", "report_rollup_message_delete"],
  // Report spans and live SLA tickets are kept by the Ticket triggers above; reopen flags by these.
  ["TicketEvent", "report_reopen_insert"], ["TicketEvent", "report_reopen_delete"], ["TicketEvent", "report_reopen_update"],
  // Span change counts, which tell when the agent report's kept totals and day cells are out of date.
  ["ReportSpan", "report_span_versions_insert"], ["ReportSpan", "report_span_versions_update"], ["ReportSpan", "report_span_versions_delete"],
];

export async function benchRollupWrites(serverUrl: string, n = Number(process.env.BENCH_WRITES ?? 300)) {
  const base = serverUrl.replace(/\/[^/]*$/, "/");
  const name = `relaydesk_writes_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base + "postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = base + name;
  try {
    await deploy(url);
    const { createDb } = await import("@/lib/db");
    const { seedDemo } = await import("@/lib/seed/demo");
    const { createTicket } = await import("@/lib/tickets/create");
    const { appendMessage } = await import("@/lib/tickets/messages");
    const { CUSTOMER } = await import("@/lib/tickets/actor");
    const db = createDb(url, 2);
    await seedDemo(db);
    const acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } })).id;
    const agent = (await db.user.findFirstOrThrow({ select: { id: true } })).id;
    const group = (await db.group.findFirstOrThrow({ select: { id: true } })).id;
    const set = async (on: boolean) => {
      for (const [table, trigger] of TRIGGERS) await db.$executeRawUnsafe(`ALTER TABLE "${table}" ${on ? "ENABLE" : "DISABLE"} TRIGGER ${trigger}`);
    };
    const ms = { on: { create: [] as number[], reply: [] as number[], resolve: [] as number[] }, off: { create: [] as number[], reply: [] as number[], resolve: [] as number[] } };
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      for (const mode of ["on", "off"] as const) {
        await set(mode === "on");
        for (let i = 0; i < n / rounds; i++) {
          const tag = `${mode}${round}-${i}`;
          let t = performance.now();
          const ticket = await db.$transaction((tx) =>
            createTicket(tx, {
              brandId: acme,
              channel: "EMAIL",
              subject: `Order ${tag}`,
              customer: { email: `w-${tag}@example.com`, name: `W ${tag}` },
              message: { kind: "CUSTOMER", html: null, text: "Where is my order?", fromAddress: `w-${tag}@example.com` },
              actor: CUSTOMER,
              groupId: group,
              assigneeId: agent,
            }),
          );
          ms[mode].create.push(performance.now() - t);
          t = performance.now();
          await db.$transaction((tx) => appendMessage(tx, ticket.id, { kind: "REPLY", html: null, text: "On it", authorId: agent }));
          ms[mode].reply.push(performance.now() - t);
          t = performance.now();
          await db.ticket.update({ where: { id: ticket.id }, data: { status: "RESOLVED", resolvedAt: new Date() } });
          ms[mode].resolve.push(performance.now() - t);
        }
      }
    }
    const delta = (d: number) => `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(2)}`;
    console.log(`Report rollup triggers on ticket writes (${n} tickets each way, sequential, alternating rounds):`);
    for (const k of ["create", "reply", "resolve"] as const) {
      const off = percentiles(ms.off[k]);
      const on = percentiles(ms.on[k]);
      console.log(`${`  ${k}`.padEnd(12)} without p50 ${off.p50.toFixed(2).padStart(6)} ms  p95 ${off.p95.toFixed(2).padStart(6)} ms   with p50 ${on.p50.toFixed(2).padStart(6)} ms  p95 ${on.p95.toFixed(2).padStart(6)} ms   (${delta(on.p50 - off.p50)} / ${delta(on.p95 - off.p95)} ms)`);
    }
    await db.$disconnect();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
