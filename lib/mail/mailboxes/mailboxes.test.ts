import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createMailbox, listMailboxes, updateMailbox, type MailboxInput } from "@/lib/mail/mailboxes/service";
import { testMailboxImap, testMailboxSmtp } from "@/lib/mail/mailboxes/connection-test";
import { failingMailboxes } from "@/lib/mail/mailboxes/health";
import { addBlock, listBlocklist } from "@/lib/mail/blocklist/service";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { deliverEmail } from "@/lib/mail/outgoing/deliver";
import { replyToTicket } from "@/lib/tickets/reply";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { startDovecot, type DovecotServer } from "@/lib/test/dovecot";
import { startSmtpListener, type SmtpListener } from "@/lib/test/smtp-listener";

let acme = "";
let admin: CurrentUser;
let dovecot: DovecotServer;
let smtp: SmtpListener;

const base = (over: Partial<MailboxInput> = {}): MailboxInput => ({
  brandId: acme, name: "Support", color: "#0ea5e9", address: "Support@Acme.test", imapHost: "127.0.0.1", imapPort: dovecot.port, imapTls: false,
  imapUser: "support", imapPassword: "imap-Secret-42", imapFolder: "INBOX", active: true, outbound: { kind: "DEFAULT" }, ...over,
});

/** What a database dump would show: the raw column, not what Prisma returns. */
async function rawColumn(sql: string, id: string): Promise<string> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return JSON.stringify((await c.query(sql, [id])).rows);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  const u = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
  admin = (await loadCurrentUser(db, u.id, u.sessionVersion))!;
  [dovecot, smtp] = await Promise.all([startDovecot({ users: [{ user: "support", password: "imap-Secret-42" }] }), startSmtpListener({ requireAuth: { user: "relay", pass: "smtp-Secret-7" } })]);
});
afterAll(async () => {
  await Promise.all([dovecot?.stop(), smtp?.close()]);
});

describe("mailboxes admin (E1, E2, E6)", () => {
  it("stores the IMAP and SMTP passwords encrypted; the admin list only says that one is set", async () => {
    const { id } = await createMailbox(db, admin.brandIds, base({ outbound: { kind: "SMTP", host: "127.0.0.1", port: smtp.port, secure: false, user: "relay", password: "smtp-Secret-7" } }));
    const row = await rawColumn(`SELECT m.*, c."secretEnc" FROM "Mailbox" m LEFT JOIN "OutboundChannel" c ON c.id = m."outboundChannelId" WHERE m.id = $1`, id);
    expect(row).not.toContain("imap-Secret-42");
    expect(row).not.toContain("smtp-Secret-7");
    expect(row).toContain("v1.");

    const listed = (await listMailboxes(db, admin.brandIds)).mailboxes.find((m) => m.id === id)!;
    expect(JSON.stringify(listed)).not.toMatch(/Secret|v1\./);
    expect(listed).toMatchObject({ address: "support@acme.test", forwardingAddress: "support+forward@acme.test", passwordSet: true, outbound: { kind: "SMTP", host: "127.0.0.1", passwordSet: true } });
  });

  it("an admin limited to other brands can neither see nor change the mailbox", async () => {
    const m = await db.mailbox.findUniqueOrThrow({ where: { address: "support@acme.test" } });
    expect((await listMailboxes(db, ["another-brand"])).mailboxes).toEqual([]);
    await expect(updateMailbox(db, ["another-brand"], { ...base(), mailboxId: m.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(testMailboxImap(db, ["another-brand"], { mailboxId: m.id, host: "127.0.0.1", port: dovecot.port, tls: false, user: "support", folder: "INBOX" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a second mailbox with the same address is refused with a field error", async () => {
    await expect(createMailbox(db, admin.brandIds, base({ name: "Dup" }))).rejects.toMatchObject({ code: "CONFLICT", field: "address" });
  });

  it("a blank password on update keeps the stored one; a new one replaces it", async () => {
    const m = (await listMailboxes(db, admin.brandIds)).mailboxes.find((x) => x.address === "support@acme.test")!;
    const input = { ...base(), mailboxId: m.id, outbound: { kind: "SMTP" as const, host: "127.0.0.1", port: smtp.port, secure: false, user: "relay", password: null } };
    await updateMailbox(db, admin.brandIds, { ...input, imapPassword: "" });
    expect(await testMailboxImap(db, admin.brandIds, { mailboxId: m.id, host: "127.0.0.1", port: dovecot.port, tls: false, user: "support", folder: "INBOX" })).toMatchObject({ ok: true });
    expect(await testMailboxSmtp(db, admin.brandIds, { mailboxId: m.id, host: "127.0.0.1", port: smtp.port, secure: false, user: "relay" })).toMatchObject({ ok: true, authenticated: true });

    await updateMailbox(db, admin.brandIds, { ...input, imapPassword: "wrong-now" });
    const r = await testMailboxImap(db, admin.brandIds, { mailboxId: m.id, host: "127.0.0.1", port: dovecot.port, tls: false, user: "support", folder: "INBOX" });
    expect(r).toMatchObject({ ok: false, stage: "auth" });
    await updateMailbox(db, admin.brandIds, { ...input, imapPassword: "imap-Secret-42" });
  });

  it("keeps the fetch position on a rename, and starts over when the account or folder changes", async () => {
    const m = await db.mailbox.findUniqueOrThrow({ where: { address: "support@acme.test" } });
    await db.mailbox.update({ where: { id: m.id }, data: { lastUid: 42, uidValidity: 7 } });
    const input = { ...base(), mailboxId: m.id, imapPassword: null, outbound: { kind: "SMTP" as const, host: "127.0.0.1", port: smtp.port, secure: false, user: "relay", password: null } };
    await updateMailbox(db, admin.brandIds, { ...input, name: "Support desk" });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: m.id }, select: { lastUid: true, name: true } })).toEqual({ lastUid: 42n, name: "Support desk" });
    await updateMailbox(db, admin.brandIds, { ...input, imapFolder: "Support" });
    expect(await db.mailbox.findUniqueOrThrow({ where: { id: m.id }, select: { lastUid: true, uidValidity: true } })).toEqual({ lastUid: 0n, uidValidity: null });
    await updateMailbox(db, admin.brandIds, input);
  });

  it("Test connection names the failing step: a missing folder, an unknown host", async () => {
    const folder = await testMailboxImap(db, admin.brandIds, { host: "127.0.0.1", port: dovecot.port, tls: false, user: "support", password: "imap-Secret-42", folder: "Nope" });
    expect(folder).toMatchObject({ ok: false, stage: "folder" });
    const dns = await testMailboxImap(db, admin.brandIds, { host: "no-such-host.invalid", port: 993, tls: true, user: "x", password: "y", folder: "INBOX" });
    expect(dns).toMatchObject({ ok: false, stage: "dns" });
  });

  it("an agent's reply goes out through the mailbox's own SMTP server, From and Reply-To the mailbox", async () => {
    const m = await db.mailbox.findUniqueOrThrow({ where: { address: "support@acme.test" } });
    const t = await db.$transaction((tx) =>
      createTicket(tx, { brandId: acme, channel: "EMAIL", subject: "Via our relay", customer: { email: "relay-customer@example.com", name: "Rita" }, message: { kind: "CUSTOMER", html: "<p>Hi</p>", text: "Hi", fromAddress: "relay-customer@example.com", emailMessageId: "relay-1@example.com" }, actor: CUSTOMER }),
    );
    await db.ticket.update({ where: { id: t.id }, data: { mailboxId: m.id } });
    const { messageId } = await replyToTicket(db, admin, { number: t.number, kind: "REPLY", html: "<p>On its way</p>" });
    const log = await db.emailLog.findFirstOrThrow({ where: { messageId } });
    expect(log.mailboxId).toBe(m.id);
    await deliverEmail(db, { emailLogId: log.id }, { attempt: 1, maxAttempts: 3 });
    const got = await smtp.waitFor((x) => x.parsed.subject === `Re: Via our relay [#${t.number}]`);
    expect(got.user).toBe("relay");
    expect(got.parsed.from?.value[0]?.address).toBe("support@acme.test");
    expect(got.parsed.replyTo?.value[0]?.address).toBe("support@acme.test");
    expect(got.parsed.inReplyTo).toBe("<relay-1@example.com>");
    expect((await db.message.findUniqueOrThrow({ where: { id: messageId } })).deliveryStatus).toBe("SENT");
  });

  it("raises the alert only after a mailbox has failed for longer than the setting", async () => {
    const m = await db.mailbox.findUniqueOrThrow({ where: { address: "support@acme.test" } });
    const now = new Date();
    await db.mailbox.update({ where: { id: m.id }, data: { health: "ERROR", lastError: "Login failed", errorSince: new Date(now.getTime() - 5 * 60_000) } });
    expect((await failingMailboxes(db, admin.brandIds, now)).mailboxes).toEqual([]);
    await db.mailbox.update({ where: { id: m.id }, data: { errorSince: new Date(now.getTime() - 20 * 60_000) } });
    expect((await failingMailboxes(db, admin.brandIds, now)).mailboxes).toMatchObject([{ address: "support@acme.test", lastError: "Login failed" }]);
    await db.mailbox.update({ where: { id: m.id }, data: { health: "IDLE", errorSince: null } });
  });
});

describe("outgoing-email filter (E9)", () => {
  it("lists every mailbox address automatically", async () => {
    const { automatic } = await listBlocklist(db);
    expect(automatic.map((a) => a.pattern)).toEqual(expect.arrayContaining(["support@acme.test", "support+forward@acme.test"]));
  });

  it("refuses a send to a blocked address or domain, logs why, and marks the message failed", async () => {
    await addBlock(db, { pattern: "@noreply.example", reason: "robots" });
    await expect(addBlock(db, { pattern: "@NOREPLY.example" })).rejects.toMatchObject({ code: "CONFLICT" });
    const t = await db.$transaction((tx) =>
      createTicket(tx, { brandId: acme, channel: "EMAIL", subject: "From a robot", customer: { email: "bot@noreply.example", name: "Bot" }, message: { kind: "CUSTOMER", html: "<p>beep</p>", text: "beep", fromAddress: "bot@noreply.example" }, actor: CUSTOMER }),
    );
    const jobsBefore = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_email'`;
    const { messageId } = await replyToTicket(db, admin, { number: t.number, kind: "REPLY", html: "<p>Hello robot</p>" });
    const log = await db.emailLog.findFirstOrThrow({ where: { messageId } });
    expect(log.status).toBe("FAILED");
    expect(log.error).toContain("bot@noreply.example");
    expect(log.error).toContain("outgoing-email filter");
    const msg = await db.message.findUniqueOrThrow({ where: { id: messageId } });
    expect(msg.deliveryStatus).toBe("FAILED");
    expect(msg.deliveryError).toContain("outgoing-email filter");
    const jobsAfter = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_email'`;
    expect(jobsAfter[0]!.n).toBe(jobsBefore[0]!.n);
  });

  it("drops only the blocked recipients (a mailbox in CC) and sends to the rest", async () => {
    const id = await db.$transaction((tx) => enqueueEmail(tx, { to: ["person@example.com"], cc: ["SUPPORT@acme.test"], subject: "cc self", html: "<p>x</p>", text: "x", purpose: "AGENT_REPLY" }));
    const log = await db.emailLog.findUniqueOrThrow({ where: { id } });
    expect(log.status).toBe("QUEUED");
    expect(log.to).toEqual(["person@example.com"]);
    expect(log.cc).toEqual([]);
    expect(JSON.stringify(log.events)).toContain("support@acme.test");
  });

  it("an address put on the filter while its email waited in the queue is not mailed either", async () => {
    const id = await db.$transaction((tx) => enqueueEmail(tx, { to: ["late@blocked.example"], subject: "queued before the block", html: "<p>x</p>", text: "x", purpose: "AGENT_REPLY" }));
    await addBlock(db, { pattern: "late@blocked.example" });
    await deliverEmail(db, { emailLogId: id }, { attempt: 1, maxAttempts: 3 });
    const log = await db.emailLog.findUniqueOrThrow({ where: { id } });
    expect(log.status).toBe("FAILED");
    expect(log.error).toContain("outgoing-email filter");
  });
});
