import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import MailComposer from "nodemailer/lib/mail-composer";
import type Mail from "nodemailer/lib/mailer";
import { db } from "@/lib/db";
import { encryptSecret } from "@/lib/crypto";
import { seedDemo } from "@/lib/seed/demo";
import { getStorage } from "@/lib/storage";
import { startDovecot, type DovecotServer } from "@/lib/test/dovecot";
import { startSmtpListener, type SmtpListener } from "@/lib/test/smtp-listener";
import { loadCurrentUser } from "@/lib/auth/current-user";
import { replyToTicket } from "@/lib/tickets/reply";
import { deliverEmail } from "@/lib/mail/outgoing/deliver";
import { SmtpTransport } from "@/lib/mail/outgoing/transport";
import { startIngest, type IngestSupervisor } from "@/lib/mail/ingest/supervisor";
import { ingestPrepared, prepareMessage } from "@/lib/mail/ingest/ingest-message";

// Fast clocks for tests; the assertions are about outcomes, never durations.
const FAST = { scanMs: 150, leaseMs: 1_500, timing: { pollMs: 1_000, backoffMinMs: 100, backoffMaxMs: 400, commandTimeoutMs: 5_000, batchSize: 50 } };

let imap: DovecotServer;
let smtp: SmtpListener;
let acme = "";
let seq = 0;
const running: IngestSupervisor[] = [];
const quiet = () => {};

async function until<T>(f: () => Promise<T | null | undefined | false>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function mailbox(user: string) {
  await imap.addUser(user, "pw-" + user);
  const m = await db.mailbox.create({
    data: { brandId: acme, name: user, address: `${user}@acme.test`, imapHost: imap.host, imapPort: imap.port, imapTls: false, imapUser: user, imapPasswordEnc: encryptSecret("pw-" + user) },
    select: { id: true, address: true },
  });
  return { ...m, user };
}

function ingest(opts: Partial<Parameters<typeof startIngest>[1]> = {}) {
  const s = startIngest(db, { ...FAST, log: quiet, ...opts });
  running.push(s);
  return s;
}

const eml = (m: Mail.Options) => new MailComposer({ date: new Date(), ...m }).compile().build();

const ticketsOf = (email: string) =>
  db.ticket.findMany({ where: { customer: { email } }, orderBy: { id: "asc" }, select: { id: true, number: true, subject: true, channel: true, mailboxId: true, _count: { select: { messages: true } } } });

const logsOf = (mailboxId: string) => db.emailLog.findMany({ where: { mailboxId, direction: "IN" }, orderBy: [{ imapUid: "asc" }, { id: "asc" }], select: { action: true, error: true, ticketId: true, subject: true } });

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } })).id;
  imap = await startDovecot();
  smtp = await startSmtpListener();
}, 60_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await db.mailbox.updateMany({ data: { active: false } });
});

afterAll(async () => {
  await imap?.stop();
  await smtp?.close();
});

describe("a new email", () => {
  it("becomes a ticket with its text, safe HTML, attachments byte for byte and inline images served by us", async () => {
    const mb = await mailbox("support1");
    ingest();
    const pdf = Buffer.from("%PDF-1.4\n" + "x".repeat(5000));
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const customer = `ada${++seq}@example.com`;
    await imap.append(mb.user, await eml({
      from: `Ada Lovelace <${customer}>`,
      to: mb.address,
      subject: "Printer on fire",
      text: "It is on fire.",
      html: `<p>It is <b>on fire</b>.</p><img src="cid:shot@x" onerror="alert(1)"><script>alert(2)</script>`,
      attachments: [
        { filename: "invoice.pdf", content: pdf, contentType: "application/pdf" },
        { filename: "shot.png", content: png, contentType: "image/png", cid: "shot@x" },
      ],
    }));
    const [t] = await until(async () => (await ticketsOf(customer)).length === 1 && ticketsOf(customer), "the ticket");
    expect(t).toMatchObject({ subject: "Printer on fire", channel: "EMAIL", mailboxId: mb.id });
    const msg = await db.message.findFirstOrThrow({ where: { ticketId: t!.id, kind: "CUSTOMER" }, select: { text: true, html: true, fromAddress: true, attachments: { select: { id: true, name: true, storageKey: true, inline: true } } } });
    expect(msg.text).toContain("It is on fire.");
    expect(msg.fromAddress).toBe(customer);
    expect(msg.html).toContain("<b>on fire</b>");
    expect(msg.html).not.toContain("<script");
    expect(msg.html).not.toContain("onerror");
    const file = msg.attachments.find((a) => a.name === "invoice.pdf")!;
    expect((await getStorage().get(file.storageKey)).equals(pdf)).toBe(true);
    const inline = msg.attachments.find((a) => a.inline)!;
    expect(msg.html).toContain(`/api/files/${inline.id}`);
    expect(msg.html).not.toContain("cid:");
    expect(await logsOf(mb.id)).toEqual([{ action: "CREATED", error: null, ticketId: t!.id, subject: "Printer on fire" }]);
    const health = await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { health: true, lastSuccessAt: true, ingestedCount: true } });
    expect(health.ingestedCount).toBe(1);
    expect(["IDLE", "CONNECTED"]).toContain(health.health);
    expect(health.lastSuccessAt).not.toBeNull();
  });
});

describe("threading", () => {
  it("appends replies found by In-Reply-To, by References alone and by the [#n] token, and opens a new ticket for anything else", async () => {
    const mb = await mailbox("support2");
    ingest();
    const customer = `grace${++seq}@example.com`;
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "Login broken", text: "I cannot log in.", messageId: `<first-${seq}@example.com>` }));
    const [t] = await until(async () => (await ticketsOf(customer)).length === 1 && ticketsOf(customer), "first ticket");

    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "Re: Login broken", text: "Still broken.", inReplyTo: `<first-${seq}@example.com>` }));
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "what about it", text: "Any news?", references: [`<unknown@example.com>`, `<first-${seq}@example.com>`] }));
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: `Hello again [#${t!.number}]`, text: "By token." }));
    await until(async () => (await db.message.count({ where: { ticketId: t!.id, kind: "CUSTOMER" } })) === 4 || null, "three replies on the ticket");

    // A stranger using the number, and an unrelated subject, get tickets of their own.
    await imap.append(mb.user, await eml({ from: "stranger@example.com", to: mb.address, subject: `Re: [#${t!.number}]`, text: "Let me in." }));
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "A different problem", text: "New thing." }));
    await until(async () => (await ticketsOf(customer)).length === 2 && (await ticketsOf("stranger@example.com")).length === 1, "two new tickets");
    expect(await db.message.count({ where: { ticketId: t!.id, kind: "CUSTOMER" } })).toBe(4);
  });

  it("threads the customer's answer to an agent reply as any mail client would send it", async () => {
    const mb = await mailbox("support3");
    ingest();
    const customer = `linus${++seq}@example.com`;
    await imap.append(mb.user, await eml({ from: `Linus <${customer}>`, to: mb.address, subject: "Kernel panic", text: "Help" }));
    const [t] = await until(async () => (await ticketsOf(customer)).length === 1 && ticketsOf(customer), "the ticket");

    const agent = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { id: true, sessionVersion: true } });
    const me = (await loadCurrentUser(db, agent.id, agent.sessionVersion))!;
    await replyToTicket(db, me, { number: t!.number, html: "<p>Try turning it off and on.</p>", kind: "REPLY", status: "PENDING" });
    const log = await db.emailLog.findFirstOrThrow({ where: { ticketId: t!.id, direction: "OUT", purpose: "AGENT_REPLY" }, select: { id: true } });
    await deliverEmail(db, { emailLogId: log.id }, { attempt: 1, maxAttempts: 1, transport: new SmtpTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true } as never) });
    const sent = await smtp.waitFor((m) => m.envelope.to.includes(customer));
    expect(sent.parsed.subject).toContain(`[#${t!.number}]`);

    const refs = [...[sent.parsed.references ?? []].flat(), sent.parsed.messageId!];
    await imap.append(mb.user, await eml({
      from: `Linus <${customer}>`,
      to: sent.parsed.replyTo?.text ?? sent.parsed.from!.text,
      subject: `Re: ${sent.parsed.subject}`,
      text: "That worked, thanks.",
      inReplyTo: sent.parsed.messageId,
      references: refs,
    }));
    await until(async () => (await db.ticket.findUniqueOrThrow({ where: { id: t!.id }, select: { status: true } })).status === "OPEN" && (await db.message.count({ where: { ticketId: t!.id, kind: "CUSTOMER" } })) === 2, "the reply on the ticket, reopened");
    expect(await ticketsOf(customer)).toHaveLength(1);
  });
});

describe("what must not become a ticket", () => {
  it("matches a bounce to the failed reply, ignores our own mail, refuses filtered senders, and keeps unreadable mail without stopping", async () => {
    const mb = await mailbox("support4");
    await db.blocklist.create({ data: { pattern: "@spam.example" } });
    const customer = `kim${++seq}@example.com`;
    ingest();
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "Question", text: "?" }));
    const [t] = await until(async () => (await ticketsOf(customer)).length === 1 && ticketsOf(customer), "the ticket");
    const out = await db.emailLog.create({ data: { direction: "OUT", status: "SENT", fromAddress: mb.address, to: [customer], subject: "Re: Question", ticketId: t!.id, emailMessageId: `out-${seq}@relaydesk.local` } });

    await imap.append(mb.user, Buffer.from([
      `From: Mail Delivery System <MAILER-DAEMON@mx.example.com>`, `To: ${mb.address}`, `Subject: Undelivered Mail Returned to Sender`, `Message-ID: <dsn-${seq}@mx.example.com>`, `Auto-Submitted: auto-replied`,
      `MIME-Version: 1.0`, `Content-Type: multipart/report; report-type=delivery-status; boundary="b"`, ``,
      `--b`, `Content-Type: text/plain`, ``, `Your message could not be delivered.`, ``,
      `--b`, `Content-Type: message/delivery-status`, ``, `Reporting-MTA: dns; mx.example.com`, ``, `Final-Recipient: rfc822; ${customer}`, `Action: failed`, `Status: 5.1.1`, `Diagnostic-Code: smtp; 550 5.1.1 User unknown`, ``,
      `--b`, `Content-Type: text/rfc822-headers`, ``, `Message-ID: <out-${seq}@relaydesk.local>`, `Subject: Re: Question`, ``, `--b--`, ``,
    ].join("\r\n")));
    await imap.append(mb.user, await eml({ from: mb.address, to: mb.address, subject: "Loop", text: "from ourselves" }));
    await imap.append(mb.user, await eml({ from: "bot@spam.example", to: mb.address, subject: "Cheap", text: "buy" }));
    await imap.append(mb.user, Buffer.from("\u0000\u0001\u0002 this is not an email at all \u0000\r\n"));
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "After the poison", text: "Still flowing." }));

    const logs = await until(async () => {
      const l = await logsOf(mb.id);
      return l.length === 6 && l;
    }, "six log rows");
    expect(logs.map((l) => l.action)).toEqual(["CREATED", "BOUNCE", "IGNORED_LOOP", "REJECTED_SPAM", "FAILED_PARSE", "CREATED"]);
    expect(logs[4]!.error).toBeTruthy();
    const bounced = await db.emailLog.findUniqueOrThrow({ where: { id: out.id }, select: { status: true, error: true } });
    expect(bounced.status).toBe("FAILED");
    expect(bounced.error).toContain("5.1.1");
    expect(await db.ticketEvent.count({ where: { ticketId: t!.id, type: "EMAIL_FAILED" } })).toBe(1);
    expect(await ticketsOf(customer)).toHaveLength(2);
    expect(await db.ticket.count({ where: { customer: { email: { in: [mb.address, "bot@spam.example", "mailer-daemon@mx.example.com"] } } } })).toBe(0);
    const box = await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { failedCount: true } });
    expect(box.failedCount).toBe(1);
  });

  it("marks out-of-office and list mail as automated on the message", async () => {
    const mb = await mailbox("support5");
    ingest();
    const customer = `ooo${++seq}@example.com`;
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "Out of office", text: "Back Monday", headers: { "Auto-Submitted": "auto-replied" } }));
    const [t] = await until(async () => (await ticketsOf(customer)).length === 1 && ticketsOf(customer), "the ticket");
    expect((await db.message.findFirstOrThrow({ where: { ticketId: t!.id, kind: "CUSTOMER" }, select: { automated: true } })).automated).toBe(true);
  });
});

describe("reliability", () => {
  it("stopped in the middle of a 500-message backlog and started again, ingests every message exactly once", async () => {
    const mb = await mailbox("backlog");
    const tag = `bl${++seq}`;
    for (let i = 0; i < 500; i++) await imap.append(mb.user, await eml({ from: `c${i}-${tag}@example.com`, to: mb.address, subject: `Backlog ${tag} ${i}`, text: `n ${i}` }));
    const first = ingest();
    await until(async () => (await db.ticket.count({ where: { subject: { startsWith: `Backlog ${tag} ` } } })) >= 60 || null, "part of the backlog");
    await first.stop();
    const partial = await db.ticket.count({ where: { subject: { startsWith: `Backlog ${tag} ` } } });
    expect(partial).toBeLessThan(500);
    ingest();
    await until(async () => (await db.ticket.count({ where: { subject: { startsWith: `Backlog ${tag} ` } } })) === 500 || null, "the whole backlog", 120_000);
    const dupes = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT subject FROM "Ticket" WHERE subject LIKE ${`Backlog ${tag} %`} GROUP BY subject HAVING count(*) > 1) d`;
    expect(dupes[0]!.n).toBe(0);
    expect((await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { ingestedCount: true } })).ingestedCount).toBe(500);
  }, 180_000);

  it("stores a backlog's groups two at a time, yet a reply still joins the ticket of a message in the group before and one customer's tickets keep the mailbox order", async () => {
    const mb = await mailbox("overlap");
    const tag = `ov${++seq}`;
    const id = (i: number) => `<${tag}-${i}@example.com>`;
    for (let i = 0; i < 90; i++) {
      const reply = i >= 20 && i % 3 === 0;
      // One customer writes a few times, in neighbouring groups.
      const from = [8, 12, 28, 33, 52, 57].includes(i) ? `same-${tag}@example.com` : `o${i}-${tag}@example.com`;
      await imap.append(mb.user, await eml({ from, to: mb.address, subject: `Overlap ${tag} ${i}`, text: `n ${i}`, messageId: id(i), ...(reply ? { inReplyTo: id(i - 12) } : {}) }));
    }
    ingest({ timing: { ...FAST.timing, commitSize: 10 } });
    await until(async () => (await db.emailLog.count({ where: { mailboxId: mb.id, action: { not: null } } })) === 90 || null, "the whole backlog", 120_000);
    const logs = await db.emailLog.findMany({ where: { mailboxId: mb.id }, select: { subject: true, ticketId: true, action: true } });
    const ticketOf = new Map(logs.map((l) => [Number(l.subject.split(" ").pop()), l.ticketId]));
    for (let i = 21; i < 90; i += 3) expect(ticketOf.get(i), `reply ${i}`).toBe(ticketOf.get(i - 12));
    const own = await ticketsOf(`same-${tag}@example.com`);
    const numbers = own.map((t) => Number(t.subject.split(" ").pop()));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect((await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { lastUid: true } })).lastUid).toBe(90n);
  }, 180_000);

  it("a group stored before the one ahead of it has committed does not move the position past that one", async () => {
    const mb = await mailbox("position");
    await db.mailbox.update({ where: { id: mb.id }, data: { uidValidity: 7n, lastUid: 0n } });
    const ctx = { ourAddresses: [mb.address], agentAddresses: [] };
    const tag = `po${++seq}`;
    const prepare = async (i: number) => prepareMessage(await eml({ from: `q${i}-${tag}@example.com`, to: mb.address, subject: `Position ${tag} ${i}`, text: "x" }), ctx, BigInt(i));
    const box = { id: mb.id, brandId: acme };
    const later = await ingestPrepared(db, box, [await prepare(3), await prepare(4)], 7n, 2n);
    expect(later.positioned).toBe(false);
    expect(later.outcomes.map((o) => o.action)).toEqual(["CREATED", "CREATED"]);
    expect((await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { lastUid: true } })).lastUid).toBe(0n);
    const earlier = await ingestPrepared(db, box, [await prepare(1), await prepare(2)], 7n, 0n);
    expect(earlier.positioned).toBe(true);
    expect((await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { lastUid: true, ingestedCount: true } })).lastUid).toBe(2n);
  });

  it("two worker replicas hold each mailbox once and create no duplicates; a replica that stops is replaced", async () => {
    const a = await mailbox("pair1");
    const b = await mailbox("pair2");
    const one = ingest({ owner: "replica-1" });
    const two = ingest({ owner: "replica-2" });
    await until(async () => one.held().length + two.held().length === 2 || null, "both mailboxes held");
    expect(new Set([...one.held(), ...two.held()])).toEqual(new Set([a.id, b.id]));
    const tag = `pr${++seq}`;
    for (let i = 0; i < 40; i++) await imap.append(i % 2 ? a.user : b.user, await eml({ from: `p${i}-${tag}@example.com`, to: a.address, subject: `Pair ${tag} ${i}`, text: "x" }));
    await until(async () => (await db.ticket.count({ where: { subject: { startsWith: `Pair ${tag} ` } } })) === 40 || null, "forty tickets");

    // replica-1 goes away without releasing (a crash): replica-2 takes over after the lease.
    const held = one.held();
    await one.stop();
    await db.mailbox.updateMany({ where: { id: { in: held } }, data: { leaseOwner: "replica-1", leaseUntil: new Date(Date.now() + 500) } });
    await until(async () => two.held().length === 2 || null, "replica-2 holds both");
    for (let i = 40; i < 50; i++) await imap.append(i % 2 ? a.user : b.user, await eml({ from: `p${i}-${tag}@example.com`, to: a.address, subject: `Pair ${tag} ${i}`, text: "x" }));
    await until(async () => (await db.ticket.count({ where: { subject: { startsWith: `Pair ${tag} ` } } })) === 50 || null, "fifty tickets");
  }, 60_000);

  it("reconnects after the IMAP server goes down, says so on the mailbox, and catches up", async () => {
    const mb = await mailbox("outage");
    ingest();
    await until(async () => (await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { health: true } })).health === "IDLE" || null, "connected");
    await imap.down();
    await until(async () => (await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { health: true, lastError: true } })).health === "ERROR" || null, "the error on the mailbox");
    const during = await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { lastError: true, errorSince: true } });
    expect(during.lastError).toBeTruthy();
    expect(during.errorSince).not.toBeNull();
    await imap.up();
    const customer = `after-outage${++seq}@example.com`;
    await imap.append(mb.user, await eml({ from: customer, to: mb.address, subject: "After the outage", text: "hi" }));
    await until(async () => (await ticketsOf(customer)).length === 1 || null, "the ticket after the outage");
    await until(async () => (await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { errorSince: true } })).errorSince === null || null, "the error cleared");
  }, 90_000);

  it("resyncs after a UIDVALIDITY change without duplicating anything", async () => {
    const mb = await mailbox("uidv");
    ingest();
    const tag = `uv${++seq}`;
    for (let i = 0; i < 5; i++) await imap.append(mb.user, await eml({ from: `u${i}-${tag}@example.com`, to: mb.address, subject: `UIDV ${tag} ${i}`, text: "x" }));
    await until(async () => (await db.ticket.count({ where: { subject: { startsWith: `UIDV ${tag} ` } } })) === 5 || null, "five tickets");
    const before = await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { uidValidity: true } });
    await imap.recreateMailbox(mb.user, { keepMessages: true });
    await imap.append(mb.user, await eml({ from: `u5-${tag}@example.com`, to: mb.address, subject: `UIDV ${tag} 5`, text: "x" }));
    await until(async () => (await db.ticket.count({ where: { subject: { startsWith: `UIDV ${tag} ` } } })) === 6 || null, "the sixth ticket", 60_000);
    const after = await db.mailbox.findUniqueOrThrow({ where: { id: mb.id }, select: { uidValidity: true } });
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(await db.ticket.count({ where: { subject: { startsWith: `UIDV ${tag} ` } } })).toBe(6);
  }, 90_000);
});
