/**
 * npm run bench mail — the IMAP ingest against a real Dovecot on 127.0.0.1, into its
 * own database on the bench PostgreSQL:
 *   (a) a backlog of 5,000 messages (mixed sizes, 10 % with an attachment): messages/s;
 *   (b) APPEND → ticket committed, one message at a time (IDLE push): p50/p95 latency;
 *   (c) resident memory of the worker process with 20 idle mailboxes.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import path from "node:path";
import MailComposer from "nodemailer/lib/mail-composer";
import { startEmbeddedPostgres } from "../lib/embedded-pg.mjs";
import { buildWorker, WORKER_BUNDLE, WORKER_ENV, WORKER_NODE_ARGS } from "../lib/build-worker.mjs";
import { deploy } from "../db-migrate";
import { benchEnv } from "./db";
import { cpuSeconds, row } from "./stats";

const BACKLOG = Number(process.env.BENCH_MAIL_BACKLOG ?? 5000);
const LATENCY_N = Number(process.env.BENCH_MAIL_LATENCY ?? 200);
/** BENCH_MAIL_ONLY=backlog: (a) alone (e.g. under node --cpu-prof). */
const ONLY_BACKLOG = process.env.BENCH_MAIL_ONLY === "backlog";

export async function benchMail() {
  const root = path.resolve(import.meta.dirname, "../..");
  const server = await startEmbeddedPostgres({ dir: path.join(root, ".data/bench-postgres"), port: 54339, persistent: true });
  const name = `relaydesk_mail_${Date.now().toString(36)}`;
  await server.createDatabase(name);
  const url = server.socketUrl(name); // as quickstart connects
  await deploy(url);
  benchEnv(url);
  process.env.STORAGE_DIR = path.join(root, ".data/bench-files");

  const { db } = await import("@/lib/db");
  const { seedDemo } = await import("@/lib/seed/demo");
  const { encryptSecret } = await import("@/lib/crypto");
  const { startDovecot } = await import("@/lib/test/dovecot");
  const { startIngest } = await import("@/lib/mail/ingest/supervisor");
  await seedDemo(db);
  const brandId = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } })).id;
  const imap = await startDovecot();
  const quiet = () => {};
  const addMailbox = async (user: string) => {
    await imap.addUser(user, "pw");
    return db.mailbox.create({ data: { brandId, name: user, address: `${user}@acme.test`, imapHost: imap.host, imapPort: imap.port, imapTls: false, imapUser: user, imapPasswordEnc: encryptSecret("pw") }, select: { id: true } });
  };
  const eml = (i: number, tag: string) => {
    const attach = i % 10 === 0;
    const paragraphs = 1 + (i % 20);
    return new MailComposer({
      from: `Customer ${i} <c${i}-${tag}@example.com>`,
      to: "support@acme.test",
      subject: `${tag} request ${i}`,
      text: "Hello, I have a question about my order.\n\n".repeat(paragraphs),
      html: `<p>${"Hello, I have a question about my order. ".repeat(paragraphs * 3)}</p>`,
      attachments: attach ? [{ filename: `file-${i}.pdf`, content: Buffer.alloc(50_000 + (i % 7) * 20_000, i % 256), contentType: "application/pdf" }] : [],
    })
      .compile()
      .build();
  };
  const count = (tag: string) => db.ticket.count({ where: { subject: { startsWith: `${tag} request ` } } });

  try {
    // (a) backlog
    await addMailbox("backlog");
    console.log(`Appending ${BACKLOG} messages to Dovecot…`);
    // A few connections for the whole backlog (a login per message made this take minutes).
    const appenders = await Promise.all([0, 1, 2, 3].map(() => imap.connect("backlog")));
    try {
      let next = 0;
      await Promise.all(appenders.map(async (c) => {
        for (let i = next++; i < BACKLOG; i = next++) await c.append("INBOX", await eml(i, "bl"));
      }));
    } finally {
      await Promise.all(appenders.map((c) => c.logout()));
    }
    // On a shared machine the rate moves with everyone else's load; CPU per message does not.
    const postmaster = Number(readFileSync(path.join(root, ".data/bench-postgres/postmaster.pid"), "utf8").split("\n")[0]);
    const cpu0 = { ingest: process.cpuUsage(), database: cpuSeconds(postmaster) };
    const t0 = performance.now();
    const ingest = startIngest(db, { scanMs: 500, log: quiet });
    while ((await count("bl")) < BACKLOG) await new Promise((r) => setTimeout(r, 200));
    const backlogS = (performance.now() - t0) / 1000;
    const ingestCpu = process.cpuUsage(cpu0.ingest);
    const perMessage = (s: number) => ((s * 1000) / BACKLOG).toFixed(2);
    console.log(`(a) backlog of ${BACKLOG}: all ingested in ${backlogS.toFixed(1)} s = ${(BACKLOG / backlogS).toFixed(0)} messages/s (each a ticket, search text, history, report event)`);
    console.log(
      `    CPU per message: ingest ${perMessage((ingestCpu.user + ingestCpu.system) / 1e6)} ms, database ${perMessage(cpuSeconds(postmaster) - cpu0.database)} ms (${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
    if (ONLY_BACKLOG) {
      await ingest.stop();
      return;
    }

    // (b) latency, one at a time, through IDLE
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_N; i++) {
      const raw = await eml(i, `lat${i}`);
      const start = performance.now();
      await imap.append("backlog", raw);
      while ((await count(`lat${i}`)) < 1) await new Promise((r) => setTimeout(r, 5));
      latencies.push(performance.now() - start);
    }
    console.log(row("(b) APPEND → ticket committed", latencies));

    // (c) memory of the real worker process (jobs + ingest) holding 20 idle mailboxes
    await ingest.stop();
    for (let i = 0; i < 20; i++) await addMailbox(`idle${i}`);
    await db.mailbox.updateMany({ where: { name: "backlog" }, data: { active: false } });
    // The worker exactly as quickstart runs it: the bundle, with the same Node flags.
    buildWorker();
    const worker = spawn(process.execPath, [...WORKER_NODE_ARGS, WORKER_BUNDLE], { cwd: root, env: { ...process.env, ...WORKER_ENV, INGEST_ENABLED: "true", NODE_ENV: "production" }, stdio: "ignore" });
    try {
      const deadline = Date.now() + 60_000;
      while ((await db.mailbox.count({ where: { health: "IDLE", active: true } })) < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 3000));
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.pid}/status`, "utf8"))?.[1];
      const idle = await db.mailbox.count({ where: { health: "IDLE", active: true } });
      console.log(`(c) worker process (graphile-worker + ingest) with ${idle} idle IDLE mailboxes: RSS ${Math.round(Number(rss) / 1024)} MB`);
    } finally {
      worker.kill("SIGTERM");
      await new Promise((r) => worker.once("exit", r));
    }
  } finally {
    await imap.stop();
    await db.$disconnect();
    await server.stop();
  }
}
