import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { deliverEmail } from "@/lib/mail/outgoing/deliver";
import { ResendTransport, SmtpTransport } from "@/lib/mail/outgoing/transport";

/** A real SMTP listener on 127.0.0.1 that records what arrives; it can refuse the next N messages. */
function smtpListener() {
  const received: { envelopeTo: string[]; parsed: ParsedMail }[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        if (refuse > 0) {
          refuse--;
          const err = Object.assign(new Error("Mailbox temporarily unavailable"), { responseCode: 451 });
          return cb(err);
        }
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed: await simpleParser(Buffer.concat(chunks)) });
        cb();
      });
    },
  });
  return {
    received,
    refuseNext: (n: number) => (refuse = n),
    listen: () => new Promise<number>((r) => server.listen(0, "127.0.0.1", () => r((server.server.address() as AddressInfo).port))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const smtp = smtpListener();
let transport: SmtpTransport;

beforeAll(async () => {
  const port = await smtp.listen();
  transport = new SmtpTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true } as never);
});
afterAll(() => smtp.close());

async function queued(subject: string, extra: { replyTo?: string } = {}) {
  return db.$transaction((tx) =>
    enqueueEmail(tx, {
      to: ["customer@example.com"],
      cc: ["boss@example.com"],
      subject,
      html: "<p>Hello <b>there</b></p>",
      text: "Hello there",
      purpose: "AGENT_REPLY",
      headers: { "In-Reply-To": "<orig@example.com>", References: "<orig@example.com>", "Auto-Submitted": "auto-replied" },
      ...extra,
    }),
  );
}

describe("outgoing email over SMTP", () => {
  it("delivers with our Message-ID and threading headers, and logs the attempt", async () => {
    const id = await queued("Re: [#1001] Broken toaster", { replyTo: "support@acme.test" });
    await deliverEmail(db, { emailLogId: id }, { attempt: 1, maxAttempts: 3, transport });
    const mail = smtp.received.at(-1)!;
    expect(mail.envelopeTo.sort()).toEqual(["boss@example.com", "customer@example.com"]);
    expect(mail.parsed.subject).toBe("Re: [#1001] Broken toaster");
    expect(mail.parsed.inReplyTo).toBe("<orig@example.com>");
    expect(mail.parsed.replyTo?.text).toBe("support@acme.test");
    expect(mail.parsed.references).toBe("<orig@example.com>");
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-replied");
    const log = await db.emailLog.findUniqueOrThrow({ where: { id } });
    expect(log.status).toBe("SENT");
    expect(mail.parsed.messageId).toBe(`<${log.emailMessageId}>`);
    expect(log.emailMessageId).toMatch(/@relaydesk\.local$/);
    expect(log.attempts).toBe(1);
    expect((log.events as { status: string }[]).map((e) => e.status)).toEqual(["QUEUED", "SENT"]);
  });

  it("a refused attempt is logged and retried; the last attempt marks it failed", async () => {
    const id = await queued("Will fail");
    smtp.refuseNext(2);
    await expect(deliverEmail(db, { emailLogId: id }, { attempt: 1, maxAttempts: 2, transport })).rejects.toThrow(/451/);
    let log = await db.emailLog.findUniqueOrThrow({ where: { id } });
    expect(log.status).toBe("QUEUED");
    expect(log.error).toMatch(/Mailbox temporarily unavailable/);
    await deliverEmail(db, { emailLogId: id }, { attempt: 2, maxAttempts: 2, transport });
    log = await db.emailLog.findUniqueOrThrow({ where: { id } });
    expect(log.status).toBe("FAILED");
    expect((log.events as { status: string }[]).map((e) => e.status)).toEqual(["QUEUED", "RETRY", "FAILED"]);
    expect(smtp.received.some((m) => m.parsed.subject === "Will fail")).toBe(false);
  });

  it("an email already sent is never sent twice (a retried job after success)", async () => {
    const id = await queued("Only once");
    await deliverEmail(db, { emailLogId: id }, { attempt: 1, maxAttempts: 3, transport });
    await deliverEmail(db, { emailLogId: id }, { attempt: 2, maxAttempts: 3, transport });
    expect(smtp.received.filter((m) => m.parsed.subject === "Only once")).toHaveLength(1);
  });
});

describe("outgoing email through Resend (local server checking the SDK's requests)", () => {
  it("POSTs /emails with the bearer key, idempotency key and threading headers", async () => {
    const requests: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const server = http.createServer(async (req, res) => {
      let raw = "";
      for await (const c of req) raw += c;
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "resend-123" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const id = await queued("Via Resend");
      await deliverEmail(db, { emailLogId: id }, { attempt: 1, maxAttempts: 3, transport: new ResendTransport("re_test_key", base) });
      expect(requests).toHaveLength(1);
      const r = requests[0]!;
      expect(r.method).toBe("POST");
      expect(r.url).toBe("/emails");
      expect(r.headers.authorization).toBe("Bearer re_test_key");
      const log = await db.emailLog.findUniqueOrThrow({ where: { id } });
      expect(r.headers["idempotency-key"]).toBe(log.emailMessageId);
      expect(r.body).toMatchObject({ to: ["customer@example.com"], cc: ["boss@example.com"], subject: "Via Resend", text: "Hello there", html: "<p>Hello <b>there</b></p>" });
      expect(r.body.headers).toMatchObject({ "In-Reply-To": "<orig@example.com>", "Message-ID": `<${log.emailMessageId}>` });
      expect(log.status).toBe("SENT");
      expect(JSON.stringify(log.events)).toContain("resend-123");
    } finally {
      server.close();
    }
  });

  it("an API error from Resend is a failed attempt with Resend's message", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ statusCode: 422, name: "validation_error", message: "Invalid `to` field." }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const id = await queued("Bad recipient");
      await deliverEmail(db, { emailLogId: id }, { attempt: 1, maxAttempts: 1, transport: new ResendTransport("re_test_key", base) });
      const log = await db.emailLog.findUniqueOrThrow({ where: { id } });
      expect(log.status).toBe("FAILED");
      expect(log.error).toContain("Invalid `to` field.");
    } finally {
      server.close();
    }
  });
});
