/**
 * Size limits, the typed error for input that is not a message, and "never throw" on malformed
 * messages. The 25 MB attachment is built in memory here (never committed).
 */
import { createHash } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";
import { describe, expect, it } from "vitest";
import { HUGE_ATTACHMENT_BYTES, PDF_INVOICE, pseudoRandomBytes } from "@/lib/mail/__fixtures__/payloads";
import {
  DEFAULT_MAX_ATTACHMENT_BYTES,
  EmailParseError,
  parseEmail,
  stripQuotedHistory,
  type EmailParseErrorReason,
} from "@/lib/mail/parse";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function expectParseError(input: unknown, reason: EmailParseErrorReason) {
  const err = await parseEmail(input as Buffer).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EmailParseError);
  expect((err as EmailParseError).reason).toBe(reason);
  expect((err as EmailParseError).name).toBe("EmailParseError");
}

describe("attachment size limit", () => {
  it("drops a 25 MB attachment and keeps the rest", async () => {
    const huge = pseudoRandomBytes(HUGE_ATTACHMENT_BYTES, 2024);
    const raw = await new MailComposer({
      from: "Big Sender <big@example.com>",
      to: "support@acme.test",
      subject: "Full backup attached",
      messageId: "<huge-attachment@example.com>",
      date: new Date("2024-04-05T10:00:00Z"),
      text: "The backup and the invoice are attached.",
      attachments: [
        { filename: "backup.tar.gz", content: huge, contentType: "application/gzip" },
        { filename: "invoice.pdf", content: PDF_INVOICE, contentType: "application/pdf" },
      ],
    })
      .compile()
      .build();
    expect(raw.length).toBeGreaterThan(HUGE_ATTACHMENT_BYTES);

    const m = await parseEmail(raw);
    expect(DEFAULT_MAX_ATTACHMENT_BYTES).toBe(20 * 1024 * 1024);
    expect(m.text).toBe("The backup and the invoice are attached.");
    expect(m.droppedAttachments).toEqual([
      { filename: "backup.tar.gz", contentType: "application/gzip", size: HUGE_ATTACHMENT_BYTES, sha256: sha(huge), reason: "too-large" },
    ]);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: "invoice.pdf", size: PDF_INVOICE.length, sha256: sha(PDF_INVOICE) });
    expect(m.attachments[0]!.content.equals(PDF_INVOICE)).toBe(true);
    expect(m.warnings.some((w) => w.includes('"backup.tar.gz"') && w.includes("dropped"))).toBe(true);
  }, 120_000);

  it("honours a custom limit, inclusive", async () => {
    const raw = await new MailComposer({
      from: "a@example.com",
      to: "support@acme.test",
      subject: "two files",
      text: "x",
      attachments: [
        { filename: "exact.bin", content: pseudoRandomBytes(1000, 1) },
        { filename: "over.bin", content: pseudoRandomBytes(1001, 2) },
      ],
    })
      .compile()
      .build();
    const m = await parseEmail(raw, { maxAttachmentBytes: 1000 });
    expect(m.attachments.map((a) => a.filename)).toEqual(["exact.bin"]);
    expect(m.droppedAttachments.map((a) => [a.filename, a.size])).toEqual([["over.bin", 1001]]);
  });
});

describe("EmailParseError", () => {
  it("is thrown for input that is not a message", async () => {
    await expectParseError("From: a@b.c\r\n\r\nhi", "invalid-input");
    await expectParseError(undefined, "invalid-input");
    await expectParseError(Buffer.alloc(0), "empty");
    await expectParseError(Buffer.from(" \r\n\r\n\t\n"), "empty");
    await expectParseError(pseudoRandomBytes(4096, 9).fill(0x0a, 0, 1).fill(0x89, 1, 2), "no-headers");
    await expectParseError(Buffer.from("just some prose, not an e-mail\nsecond line\n"), "no-headers");
    await expectParseError(Buffer.from('{"json": true}'), "no-headers");
  });

  it("reports oversized header blocks and too many parts", async () => {
    await expectParseError(Buffer.from(`From: a@b.c\r\nX-Big: ${"a".repeat(2 * 1024 * 1024)}\r\n\r\nbody`), "header-too-large");
    let parts = "";
    for (let i = 0; i < 1100; i++) parts += `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`;
    await expectParseError(Buffer.from(`From: a@b.c\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`), "too-many-parts");
  });
});

describe("malformed messages never throw", () => {
  const cases: [string, string, (m: Awaited<ReturnType<typeof parseEmail>>) => void][] = [
    [
      "truncated multipart (no closing boundary, cut base64)",
      "From: a@b.c\r\nSubject: trunc\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhello there\r\n--zz\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x",
      (m) => {
        expect(m.text).toBe("hello there");
        expect(m.attachments).toHaveLength(1);
      },
    ],
    [
      "multipart without a boundary parameter",
      "From: a@b.c\r\nSubject: nb\r\nContent-Type: multipart/mixed\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhello\r\n--zz--\r\n",
      (m) => {
        expect(m.text).toBe("hello");
        expect(m.warnings[0]).toContain('without a boundary, using "zz"');
      },
    ],
    [
      "invalid base64 and quoted-printable",
      "From: a@b.c\r\nSubject: enc\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=4 broken =\r\nend=\r\n",
      (m) => expect(m.text).toBe("=ZZ=4 broken end"),
    ],
    [
      "NUL bytes in header and body",
      "From: a@b.c\r\nSubject: nul\u0000byte\r\n\r\nbo\u0000dy",
      (m) => {
        expect(m.subject).toBe("nul byte");
        expect(m.text).toBe("body");
      },
    ],
    [
      "60 nested multiparts",
      "From: a@b.c\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n" +
        Array.from({ length: 60 }, (_, i) => `--b${i}\r\nContent-Type: multipart/mixed; boundary=b${i + 1}\r\n\r\n`).join("") +
        "--b60\r\nContent-Type: text/plain\r\n\r\ndeep\r\n",
      (m) => expect(m.text).toBe("deep"),
    ],
    [
      "UTF-7 is not decoded into markup",
      "From: a@b.c\r\nSubject: u7\r\nContent-Type: text/html; charset=utf-7\r\n\r\n+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
      (m) => expect(m.html ?? "").not.toContain("<script"),
    ],
    [
      "headers only, no blank line",
      "From: a@b.c\r\nSubject: nobody",
      (m) => {
        expect(m.subject).toBe("nobody");
        expect(m.text).toBe("");
      },
    ],
    [
      "leading blank lines and an mbox From_ line",
      "\r\n\r\nFrom someone@example.com Mon Apr  1 10:00:00 2024\r\nFrom: Someone <someone@example.com>\r\nSubject: mbox\r\n\r\nbody",
      (m) => {
        expect(m.from?.address).toBe("someone@example.com");
        expect(m.subject).toBe("mbox");
      },
    ],
    [
      "garbage address headers",
      "From: <<<>>>, @@@\r\nTo: ;;;, \"unterminated\r\nCc: undisclosed-recipients:;\r\nReply-To: not an address\r\nSubject: addr\r\n\r\nx",
      (m) => {
        expect(m.from).toBeNull();
        expect(m.cc).toEqual([]);
        expect(m.requester).toBeNull();
      },
    ],
    [
      "an Auto-Submitted: no header is not automatic",
      "From: a@b.c\r\nAuto-Submitted: no\r\nSubject: hi\r\n\r\nx",
      (m) => expect(m.autoSubmitted).toBe(false),
    ],
  ];

  it.each(cases)("%s", async (_name, source, check) => {
    const m = await parseEmail(Buffer.from(source, "latin1"));
    check(m);
  });

  it("survives random mutations of a real message", async () => {
    const base = Buffer.from(
      "From: A <a@example.com>\r\nTo: b@example.com\r\nSubject: =?UTF-8?B?w4dpxJ9kZW0=?=\r\nContent-Type: multipart/alternative; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain; charset=iso-8859-9\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nMerhaba =FE=FD\r\n--q\r\nContent-Type: text/html\r\n\r\n<p>Hi <b>there</b></p>\r\n--q--\r\n",
      "latin1",
    );
    const noise = pseudoRandomBytes(4000, 77);
    for (let round = 0; round < 200; round++) {
      const copy = Buffer.from(base);
      for (let k = 0; k < 5; k++) {
        const pos = noise[(round * 10 + k * 2) % noise.length]! % copy.length;
        copy[pos] = noise[(round * 10 + k * 2 + 1) % noise.length]!;
      }
      try {
        await parseEmail(copy);
      } catch (err) {
        expect(err).toBeInstanceOf(EmailParseError);
      }
    }
  });
});

describe("large inputs stay fast (no quadratic paths)", () => {
  it("parses a 3.7 MB HTML body", async () => {
    const html = "<div><p>hello <b>world</b></p></div>\n".repeat(100_000);
    const started = Date.now();
    const m = await parseEmail(Buffer.from(`From: a@b.c\r\nSubject: big\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}`));
    expect(m.text.startsWith("hello world\n\nhello world")).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it("folds pathological quote layouts quickly", () => {
    const started = Date.now();
    const text = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? "> q" : "On Mon, X wrote:") + "\nanswer").join("\n");
    expect(stripQuotedHistory(text).quoted).toBe("");
    stripQuotedHistory("<blockquote>x</blockquote>".repeat(50_000) + "<p>tail</p>");
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);
});
