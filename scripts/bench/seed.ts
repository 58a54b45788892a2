/**
 * npm run bench:seed -- --tickets 1000000
 * Bulk-generates a realistic desk inside PostgreSQL (INSERT … SELECT generate_series):
 * 4–6 messages per ticket, skewed status/priority/channel distributions, tags, and search vectors
 * computed while inserting (a later UPDATE of a million rows cost more than everything else).
 */
import pg from "pg";
import { benchDatabase } from "./db";

// Message k of ticket `id`: the same expression feeds the messages and the
// ticket's search vector, so the vector is computed once, while inserting.
const messageText = (id: string) =>
  `(ARRAY['Hello, my order has not arrived yet and tracking shows nothing.','Merhaba, iade talebim hâlâ sonuçlanmadı, yardımcı olur musunuz?','Thanks for reaching out, we are looking into it.','Internal: checked the warehouse system, parcel is delayed.','Any update? This is getting urgent.','Hej! Jag har inte fått min beställning ännu.'])[1 + (${id} + k) % 6] || ' ref ' || ${id}`;

// Independent pseudo-random attributes per ticket (a hash of g with a salt per column):
// with modular arithmetic, status and priority were correlated and some filter
// combinations had no tickets at all, which no real desk looks like.
const h = (salt: number) => `abs(hashint4(g * 16 + ${salt}))`;

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

async function main() {
  const tickets = arg("tickets", 1_000_000);
  const t0 = Date.now();
  const database = await benchDatabase();
  const { createDb } = await import("@/lib/db");
  const { seedDemo } = await import("@/lib/seed/demo");
  const prisma = createDb(database.url, 2);
  await seedDemo(prisma);
  await prisma.$disconnect();

  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  const step = async (label: string, q: string) => {
    const s = Date.now();
    const r = await c.query(q);
    console.log(`  ${label.padEnd(42)} ${((Date.now() - s) / 1000).toFixed(1).padStart(7)} s  ${r.rowCount ?? ""}`);
  };
  const have = (await c.query(`SELECT count(*)::int AS n FROM "Ticket"`)).rows[0].n as number;
  const add = Math.max(0, tickets - have);
  console.log(`Generating ${add.toLocaleString()} tickets (${have} present)…`);
  if (add > 0) {
    // One transaction: an interrupted run leaves nothing half-generated.
    await c.query("BEGIN");
    await step("customers", `INSERT INTO "Customer" (id, email, name, "updatedAt") SELECT 'bc' || g, 'customer' || g || '@bench.example', 'Customer ' || g, now() FROM generate_series(1, ${Math.max(1000, Math.floor(add / 5))}) g ON CONFLICT DO NOTHING`);
    // The report rollup triggers would run once per generated row: off while loading, recounted once below.
    await step("report rollup triggers off while loading", `ALTER TABLE "Ticket" DISABLE TRIGGER report_rollup_insert; ALTER TABLE "TicketTag" DISABLE TRIGGER report_rollup_tag; ALTER TABLE "Message" DISABLE TRIGGER report_rollup_message_insert`);
    await step("drop secondary indexes while loading", `DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexname FROM pg_indexes WHERE tablename IN ('Ticket','Message','TicketTag') AND indexname NOT LIKE '%_pkey' AND indexname NOT IN ('Ticket_number_key') LOOP EXECUTE 'DROP INDEX "' || r.indexname || '"'; END LOOP; END $$`);
    await step("SLA policy", `INSERT INTO "SlaPolicy" (id, name, "firstResponseMinutes", "resolutionMinutes", "updatedAt") VALUES ('bench-sla', 'Bench standard', 60, 720, now()) ON CONFLICT DO NOTHING`);
    await step(
      "tickets",
      `WITH b AS (SELECT array_agg(id ORDER BY slug) AS ids FROM "Brand"), u AS (SELECT array_agg(id ORDER BY email) AS ids FROM "User"),
            gr AS (SELECT array_agg(id ORDER BY name) AS ids FROM "Group"), ty AS (SELECT array_agg(id ORDER BY name) AS ids FROM "TicketType"), tp AS (SELECT array_agg(id ORDER BY name) AS ids FROM "Topic"),
            cu AS (SELECT count(*)::int AS n FROM "Customer" WHERE id LIKE 'bc%')
       INSERT INTO "Ticket" (id, "searchVector", "brandId", subject, snippet, status, priority, state, channel, "typeId", "topicId", "customerId", "assigneeId", "groupId", "messageCount", "createdAt", "updatedAt", "lastMessageAt", "resolvedAt",
                             "firstResponseAt", "slaPolicyId", "firstResponseDueAt", "resolutionDueAt")
       SELECT s.tid,
              to_tsvector('simple', s.subject || ' Customer ' || (1 + g % cu.n) || ' customer' || (1 + g % cu.n) || '@bench.example '
                || (SELECT string_agg(${messageText("s.tid")}, ' ') FROM generate_series(1, 4 + g % 3) k)),
              b.ids[1 + (${h(1)} % 10 = 0)::int],
              s.subject,
              'Customer wrote about order ' || g,
              (ARRAY['OPEN','OPEN','PENDING','RESOLVED','RESOLVED','RESOLVED','CLOSED','CLOSED','CLOSED','CLOSED'])[1 + ${h(2)} % 10]::"TicketStatus",
              (ARRAY['LOWEST','LOW','MEDIUM','MEDIUM','MEDIUM','MEDIUM','HIGH','HIGH','HIGHEST','LOW'])[1 + ${h(3)} % 10]::"Priority",
              CASE WHEN g % 97 = 0 THEN 'SPAM' WHEN g % 89 = 0 THEN 'TRASH' ELSE 'ACTIVE' END::"TicketState",
              (ARRAY['EMAIL','EMAIL','EMAIL','EMAIL','FORM','FORM','CHAT','AGENT'])[1 + ${h(4)} % 8]::"Channel",
              CASE WHEN ${h(5)} % 3 = 0 THEN NULL ELSE ty.ids[1 + ${h(6)} % array_length(ty.ids, 1)] END,
              CASE WHEN ${h(7)} % 4 = 0 THEN NULL ELSE tp.ids[1 + ${h(8)} % array_length(tp.ids, 1)] END,
              'bc' || (1 + g % cu.n),
              CASE WHEN ${h(9)} % 5 = 0 THEN NULL ELSE u.ids[1 + ${h(10)} % array_length(u.ids, 1)] END,
              CASE WHEN ${h(11)} % 2 = 0 THEN NULL ELSE gr.ids[1 + ${h(12)} % array_length(gr.ids, 1)] END,
              4 + g % 3,
              now() - ((${add} - g) * interval '30 seconds'),
              now() - ((${add} - g) * interval '30 seconds') + (g % 600) * interval '1 minute',
              now() - ((${add} - g) * interval '30 seconds') + (g % 600) * interval '1 minute',
              CASE WHEN ${h(2)} % 10 >= 3 THEN now() - ((${add} - g) * interval '30 seconds') + (g % 600) * interval '1 minute' END,
              -- Reports: the first agent reply is message 2 (20 minutes in); half the tickets have a 10-minute
              -- first-response target (breached), the rest an hour; resolution targets of 2–12 hours.
              now() - ((${add} - g) * interval '30 seconds') + interval '20 minutes',
              'bench-sla',
              now() - ((${add} - g) * interval '30 seconds') + CASE WHEN ${h(13)} % 2 = 0 THEN interval '10 minutes' ELSE interval '1 hour' END,
              now() - ((${add} - g) * interval '30 seconds') + (2 + ${h(14)} % 11) * interval '1 hour'
       FROM (SELECT g, nextval(pg_get_serial_sequence('"Ticket"', 'id')) AS tid, (ARRAY['Refund for order','Cannot log in','Siparişim gelmedi','Şikayet: ürün hasarlı','Invoice address','App crashes on startup','Question about Pro plan','Shipping to Norway','Double charged','Password reset'])[1 + g % 10] || ' #' || g AS subject
             FROM generate_series(1, ${add}) g) s, b, u, gr, ty, tp, cu`,
    );
    await step(
      "messages (4–6 per ticket)",
      `WITH u AS (SELECT array_agg(id ORDER BY email) AS ids FROM "User")
       INSERT INTO "Message" ("ticketId", kind, text, html, "createdAt", "customerId", "authorId")
       SELECT t.id, (CASE WHEN k = 1 OR k = 4 THEN 'CUSTOMER' WHEN k = 3 THEN 'NOTE' ELSE 'REPLY' END)::"MessageKind",
              ${messageText("t.id")},
              NULL, t."createdAt" + k * interval '10 minutes', CASE WHEN k = 1 OR k = 4 THEN t."customerId" END,
              -- Agent replies and notes have an author (reports count replies per agent).
              CASE WHEN k = 1 OR k = 4 THEN NULL ELSE COALESCE(t."assigneeId", u.ids[1 + t.id % array_length(u.ids, 1)]) END
       FROM "Ticket" t CROSS JOIN generate_series(1, 6) k CROSS JOIN u WHERE t."messageCount" >= 4 AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."ticketId" = t.id) AND k <= t."messageCount"`,
    );
    await step("a ticket with 50 messages (open-ticket benchmark)", `INSERT INTO "Message" ("ticketId", kind, text, "createdAt") SELECT (SELECT max(id) FROM "Ticket" WHERE state = 'ACTIVE'), 'CUSTOMER', 'Long thread message ' || k, now() - (60 - k) * interval '1 minute' FROM generate_series(1, 45) k`);
    await step("chat visitors", `INSERT INTO "Visitor" (id, "brandId", name, "lastSeenAt") SELECT 'bench-visitor-' || id, id, 'Bench visitor', now() FROM "Brand" ON CONFLICT DO NOTHING`);
    // Chats over the same period: one per five tickets; every 15th missed, a third rated.
    await step(
      "chats",
      `WITH b AS (SELECT array_agg(id ORDER BY slug) AS ids FROM "Brand"), u AS (SELECT array_agg(id ORDER BY email) AS ids FROM "User"),
            c AS (SELECT g, b.ids[1 + (${h(21)} % 10 = 0)::int] AS brand, now() - ((${Math.floor(add / 5)} - g) * interval '150 seconds') AS q, ${h(22)} % 15 = 0 AS missed,
                         (5 + ${h(23)} % 180) * interval '1 second' AS wait, (60 + ${h(24)} % 1800) * interval '1 second' AS dur, u.ids[1 + ${h(25)} % array_length(u.ids, 1)] AS agent
                  FROM generate_series(1, ${Math.floor(add / 5)}) g, b, u)
       INSERT INTO "Chat" ("brandId", "visitorId", status, "assigneeId", rating, "queuedAt", "assignedAt", "endedAt", "resolvedAt", "lastMessageAt", "createdAt", "updatedAt")
       SELECT brand, 'bench-visitor-' || brand, (CASE WHEN missed THEN 'MISSED' ELSE 'RESOLVED' END)::"ChatStatus", CASE WHEN missed THEN NULL ELSE agent END,
              CASE WHEN NOT missed AND ${h(26)} % 3 = 0 THEN 1 + ${h(27)} % 5 END,
              q, CASE WHEN missed THEN NULL ELSE q + wait END, q + wait + dur, CASE WHEN missed THEN NULL ELSE q + wait + dur END, q + wait + dur, q, q + wait + dur
       FROM c`,
    );
    await step("tags", `WITH tg AS (SELECT array_agg(id ORDER BY name) AS ids FROM "Tag") INSERT INTO "TicketTag" ("ticketId", "tagId") SELECT t.id, tg.ids[1 + t.id % array_length(tg.ids, 1)] FROM "Ticket" t, tg WHERE t.id % 3 = 0 ON CONFLICT DO NOTHING`);
    await step("report rollups (recounted)", `ALTER TABLE "Ticket" ENABLE TRIGGER report_rollup_insert; ALTER TABLE "TicketTag" ENABLE TRIGGER report_rollup_tag; ALTER TABLE "Message" ENABLE TRIGGER report_rollup_message_insert; SELECT report_rollup_rebuild(NULL)`);
    await c.query("COMMIT");
  }
  await c.end();
  // Recreate exactly the indexes the migrations define (same names, same definitions).
  const s = Date.now();
  await recreateIndexes(database.url);
  console.log(`  ${"indexes (from the migrations)".padEnd(42)} ${((Date.now() - s) / 1000).toFixed(1).padStart(7)} s`);
  const c2 = new pg.Client({ connectionString: database.url });
  await c2.connect();
  await c2.query("VACUUM ANALYZE");
  const counts = (await c2.query(`SELECT (SELECT count(*) FROM "Ticket")::int AS tickets, (SELECT count(*) FROM "Message")::int AS messages`)).rows[0];
  await c2.end();
  console.log(`Done in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${counts.tickets.toLocaleString()} tickets, ${counts.messages.toLocaleString()} messages.`);
  await database.stop();
  process.exit(0);
}

async function recreateIndexes(url: string) {
  const { readdirSync, readFileSync } = await import("node:fs");
  const path = await import("node:path");
  const dir = path.resolve(import.meta.dirname, "../../prisma/migrations");
  // In migration order, so an index a later migration drops or redefines ends up as that one left it.
  const byName = new Map<string, string>();
  for (const s of readdirSync(dir)
    .filter((d) => /^\d/.test(d))
    .sort()
    .flatMap((d) => readFileSync(path.join(dir, d, "migration.sql"), "utf8").split(";"))
    .map((s) => s.replace(/--.*$/gm, "").trim())) {
    const dropped = /^DROP INDEX "([^"]+)"/.exec(s);
    if (dropped) byName.delete(dropped[1]!);
    const created = /^CREATE (?:UNIQUE )?INDEX "([^"]+)"/.exec(s);
    if (created && /ON "(Ticket|Message|TicketTag)"/.test(s)) byName.set(created[1]!, s.replace(/^CREATE (UNIQUE )?INDEX/, "CREATE $1INDEX IF NOT EXISTS"));
  }
  const statements = [...byName.values()];
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("SET maintenance_work_mem = '1GB'");
  for (const s of statements) await c.query(s);
  await c.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
