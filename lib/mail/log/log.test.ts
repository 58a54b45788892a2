import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { encryptSecret } from "@/lib/crypto";
import { getEmailLog, listEmailLog } from "@/lib/mail/log/service";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";

let ticketNumber = 0;

beforeAll(async () => {
  await seedDemo(db);
  const acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  const mailbox = await db.mailbox.create({ data: { brandId: acme, name: "Billing inbox", address: "billing@acme.test", imapHost: "127.0.0.1", imapUser: "b", imapPasswordEnc: encryptSecret("x") } });
  const t = await db.$transaction((tx) =>
    createTicket(tx, { brandId: acme, channel: "EMAIL", subject: "Invoice 77", customer: { email: "payer@example.com", name: "Payer" }, message: { kind: "CUSTOMER", html: "<p>Where is invoice 77?</p>", text: "Where is invoice 77?", fromAddress: "payer@example.com" }, actor: CUSTOMER }),
  );
  ticketNumber = t.number;
  const base = { direction: "IN" as const, status: "RECEIVED" as const, mailboxId: mailbox.id };
  await db.emailLog.createMany({
    data: [
      { ...base, action: "CREATED", ticketId: t.id, fromAddress: "payer@example.com", subject: "Invoice 77", dedupeKey: "a@x", text: "Where is invoice 77?" },
      { ...base, action: "IGNORED_LOOP", fromAddress: "mailer-daemon@example.net", subject: "Auto: out of office", dedupeKey: "b@x" },
      { ...base, action: "FAILED_PARSE", fromAddress: "unknown", subject: "", dedupeKey: "c@x", error: "Malformed MIME: unterminated boundary" },
    ],
  });
  await db.$transaction((tx) => enqueueEmail(tx, { to: ["payer@example.com"], cc: ["accounts@example.com"], subject: "Re: Invoice 77", html: "<p>Attached.</p>", text: "Attached.", purpose: "AGENT_REPLY", ticketId: t.id }));
});

describe("message center (E10)", () => {
  it("the incoming log shows the mailbox, the action with its ticket, and why a message failed", async () => {
    const { items } = await listEmailLog(db, { direction: "IN", limit: 50 });
    expect(items.map((i) => [i.action, i.mailbox?.name, i.ticket?.number ?? null, i.error])).toEqual([
      ["FAILED_PARSE", "Billing inbox", null, "Malformed MIME: unterminated boundary"],
      ["IGNORED_LOOP", "Billing inbox", null, null],
      ["CREATED", "Billing inbox", ticketNumber, null],
    ]);
  });

  it("searches incoming mail by sender, subject or mailbox; outgoing by recipient (To or CC) or subject", async () => {
    expect((await listEmailLog(db, { direction: "IN", q: "mailer-daemon", limit: 50 })).items.map((i) => i.action)).toEqual(["IGNORED_LOOP"]);
    expect((await listEmailLog(db, { direction: "IN", q: "billing inbox", limit: 50 })).items).toHaveLength(3);
    expect((await listEmailLog(db, { direction: "OUT", q: "ACCOUNTS@example.com", limit: 50 })).items.map((i) => i.subject)).toEqual(["Re: Invoice 77"]);
    expect((await listEmailLog(db, { direction: "OUT", q: "invoice 77", limit: 50 })).items).toHaveLength(1);
    expect((await listEmailLog(db, { direction: "OUT", q: "nobody@example.com", limit: 50 })).items).toHaveLength(0);
  });

  it("an outgoing email's full content and event history are viewable", async () => {
    const [out] = (await listEmailLog(db, { direction: "OUT", limit: 1 })).items;
    const full = await getEmailLog(db, out!.id);
    expect(full).toMatchObject({ html: "<p>Attached.</p>", text: "Attached.", cc: ["accounts@example.com"], ticket: { number: ticketNumber } });
    expect((full.events as { status: string }[]).map((e) => e.status)).toEqual(["QUEUED"]);
  });
});
