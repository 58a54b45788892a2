import { describe, expect, it } from "vitest";
import { decodeBytes, scanUtf8, sniffCharset } from "@/lib/mail/parse/charset";
import { extractMessageIds, parseDateHeader } from "@/lib/mail/parse/headers";
import { normalizeRawMessage } from "@/lib/mail/parse/raw-normalize";
import {
  cleanFilename,
  detectManualForward,
  findTicketToken,
  htmlToText,
  parsePrintedAddress,
  rewriteCidUrls,
  sanitizeEmailHtml,
} from "@/lib/mail/parse";

describe("findTicketToken", () => {
  it.each([
    ["[#1234] Printer on fire", 1234],
    ["Re: RE: [#42] hello", 42],
    ["Re: [ # 7 ] spaced", 7],
    ["Fwd: [#12] and [#34]", 12],
    ["no token here", null],
    ["#1234 without brackets", null],
    ["[1234] without hash", null],
    ["[#0]", null],
    ["[#1234567890123456] too long", null],
    ["", null],
  ])("%j → %j", (subject, expected) => {
    expect(findTicketToken(subject)).toBe(expected);
  });

  it("accepts null and undefined", () => {
    expect(findTicketToken(null)).toBeNull();
    expect(findTicketToken(undefined)).toBeNull();
  });
});

describe("charset helpers", () => {
  it("sniffs ISO-2022-JP, UTF-8 and single-byte Turkish/Western text", () => {
    expect(sniffCharset(Buffer.from("\x1b$B$3$s$K$A$O\x1b(B", "latin1"))).toBe("ISO-2022-JP");
    expect(sniffCharset(Buffer.from("plain ascii"))).toBeNull();
    expect(sniffCharset(Buffer.from("Grüße", "utf8"))).toBeNull();
    expect(sniffCharset(Buffer.from([0x54, 0x65, 0xfe, 0x65, 0x6b, 0x6b, 0xfc, 0x72, 0x6c, 0x65, 0x72]))).toBe("windows-1254"); // Teşekkürler
    expect(sniffCharset(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe("windows-1252"); // café
  });

  it("decodes windows-1252 0x80–0x9F correctly (Node's TextDecoder does not)", () => {
    expect(decodeBytes(Buffer.from([0x80, 0x93, 0x41, 0x94, 0xe9]), "windows-1252")).toBe("€“A”é");
    expect(decodeBytes(Buffer.from([0xfe, 0xfd, 0xf0]), "ISO-8859-9")).toBe("şığ");
    expect(decodeBytes(Buffer.from("ok"), "no-such-charset")).toBe("ok");
  });

  it("scans UTF-8", () => {
    expect(scanUtf8(Buffer.from("aé😀", "utf8"))).toEqual({ highBytes: true, valid: true, multibyte: 2, invalid: 0 });
    expect(scanUtf8(Buffer.from([0x61, 0xe9, 0x62]))).toMatchObject({ valid: false, multibyte: 0, invalid: 1 });
    expect(scanUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toMatchObject({ valid: false }); // surrogate
  });
});

describe("raw pre-pass", () => {
  it("leaves a message alone when nothing needs fixing", () => {
    const raw = Buffer.from("From: a@b.c\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n");
    const out = normalizeRawMessage(raw);
    expect(out.raw).toBe(raw);
    expect(out.notes).toEqual([]);
  });

  it("adds a sniffed charset without touching the body bytes", () => {
    const body = Buffer.from([0x54, 0x65, 0xfe, 0x65, 0x6b, 0x6b, 0xfc, 0x72, 0x6c, 0x65, 0x72]);
    const raw = Buffer.concat([Buffer.from("From: a@b.c\r\nContent-Type: text/plain\r\n\r\n"), body]);
    const out = normalizeRawMessage(raw);
    expect(out.raw.toString("latin1")).toBe(`From: a@b.c\r\nContent-Type: text/plain; charset=windows-1254\r\n\r\n${body.toString("latin1")}`);
    expect(out.charsets).toEqual(["windows-1254"]);
  });

  it("adds a Content-Type when a part has no header at all", () => {
    const raw = Buffer.from("From: a@b.c\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n\x1b$B$3$s\x1b(B\r\n--x--\r\n", "latin1");
    const out = normalizeRawMessage(raw).raw.toString("latin1");
    expect(out).toContain("--x\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n\x1b$B");
  });
});

describe("header helpers", () => {
  it("extracts Message-IDs", () => {
    expect(extractMessageIds("<a@b> (John's message of Monday) <c@d>")).toEqual(["a@b", "c@d"]);
    expect(extractMessageIds("bare-id@example.com")).toEqual(["bare-id@example.com"]);
    expect(extractMessageIds("<>")).toEqual([]);
    expect(extractMessageIds("not an id")).toEqual([]);
    expect(extractMessageIds(null)).toEqual([]);
  });

  it("parses dates and rejects garbage instead of returning 'now'", () => {
    const now = new Date("2024-06-01T00:00:00Z");
    expect(parseDateHeader("Mon, 4 Mar 2024 09:15:00 +0300", now)?.toISOString()).toBe("2024-03-04T06:15:00.000Z");
    expect(parseDateHeader("Tue, 19 Mar 2024 06:00:00 -0700 (PDT)", now)?.toISOString()).toBe("2024-03-19T13:00:00.000Z");
    expect(parseDateHeader("4 Mar 2024 09:15 GMT", now)?.toISOString()).toBe("2024-03-04T09:15:00.000Z");
    expect(parseDateHeader("yesterday", now)).toBeNull();
    expect(parseDateHeader("1", now)).toBeNull();
    expect(parseDateHeader("Thu, 1 Jan 1950 00:00:00 +0000", now)).toBeNull();
    expect(parseDateHeader("Fri, 1 Jan 2038 00:00:00 +0000", now)).toBeNull();
    expect(parseDateHeader("", now)).toBeNull();
  });
});

describe("sanitizeEmailHtml", () => {
  it("keeps formatting, tables and safe images", () => {
    const html =
      '<h2>Title</h2><p style="color: red; font-weight: bold">x</p><table cellpadding="2"><tr><td colspan="2" bgcolor="#eee">c</td></tr></table><img src="cid:a@b" width="10"><img src="HTTPS://x.example/a.png">';
    expect(sanitizeEmailHtml(html)).toBe(
      '<h2>Title</h2><p style="color:red;font-weight:bold">x</p><table cellpadding="2"><tr><td colspan="2" bgcolor="#eee">c</td></tr></table><img src="cid:a@b" width="10" /><img src="HTTPS://x.example/a.png" />',
    );
  });

  it("drops relative, protocol-relative and non-image data sources", () => {
    expect(sanitizeEmailHtml('<img src="/local.png"><img src="//evil.example/a.png"><img src="data:text/html,x">')).toBe("<img /><img /><img />");
    expect(sanitizeEmailHtml('<a href="//evil.example/">x</a>')).toBe("<a>x</a>");
  });

  it("drops ids and classes except the quote markers", () => {
    expect(sanitizeEmailHtml('<div id="app" class="evil gmail_quote">x</div><div id="divRplyFwdMsg">y</div>')).toBe(
      '<div class="gmail_quote">x</div><div id="divRplyFwdMsg">y</div>',
    );
  });

  it("removes dangerous CSS", () => {
    expect(sanitizeEmailHtml('<p style="background:url(https://t.example/x);color:blue;position:absolute">x</p>')).toBe('<p style="color:blue">x</p>');
  });
});

describe("htmlToText", () => {
  it("lays out blocks, breaks, lists and entities", () => {
    expect(htmlToText("<div>Hi,</div><div><br></div><div>Line&nbsp;two &amp; more</div><ul><li>a</li><li>b</li></ul><p>x<br>y</p>")).toBe(
      "Hi,\n\nLine two & more\n\n- a\n- b\n\nx\ny",
    );
    expect(htmlToText("<style>p{}</style><script>bad()</script><p>ok</p>")).toBe("ok");
    expect(htmlToText("")).toBe("");
  });
});

describe("rewriteCidUrls", () => {
  it("rewrites known Content-IDs and leaves the rest", () => {
    const html = `<img src="cid:one@x"><img src='cid:TWO@X'><img src=cid:three@x><img src="cid:unknown@x"><a href="cid:one@x">f</a>`;
    expect(rewriteCidUrls(html, { "one@x": "https://f/1", "<two@x>": "https://f/2?a=1&b=\"2\"", "three@x": "/f/3" })).toBe(
      `<img src="https://f/1"><img src="https://f/2?a=1&amp;b=&quot;2&quot;"><img src="/f/3"><img src="cid:unknown@x"><a href="https://f/1">f</a>`,
    );
  });

  it("matches URL-encoded Content-IDs", () => {
    expect(rewriteCidUrls('<img src="cid:image%20001@x">', { "image 001@x": "u" })).toBe('<img src="u">');
  });
});

describe("manual forward helpers", () => {
  it.each([
    ["John Doe <john@example.com>", { address: "john@example.com", name: "John Doe" }],
    ['"Doe, John" <John@Example.com>', { address: "john@example.com", name: "Doe, John" }],
    ["John Doe [mailto:john@example.com]", { address: "john@example.com", name: "John Doe" }],
    ["john@example.com", { address: "john@example.com", name: null }],
    ["*John Doe* <john@example.com<mailto:john@example.com>>", { address: "john@example.com", name: "John Doe" }],
    ["John Doe", null],
  ])("reads %j", (value, expected) => {
    expect(parsePrintedAddress(value)).toEqual(expected);
  });

  it("needs a forward prefix in the subject for Outlook blocks", () => {
    const text = "See below\n\nFrom: Jane <jane@example.com>\nSent: Monday, March 4, 2024 10:00 AM\nTo: agent@acme.test\nSubject: Help\n\nbody";
    expect(detectManualForward(text, "RE: Help")).toBeNull();
    expect(detectManualForward(text, "FW: Help")).toMatchObject({ style: "outlook", originalFrom: { address: "jane@example.com", name: "Jane" } });
    expect(detectManualForward(text, "[#5] Fwd: Help")?.originalSubject).toBe("Help");
  });

  it("reads Turkish Outlook labels", () => {
    const text = "Bakar mısınız?\n\nKimden: Ayşe Yılmaz <ayse@example.com.tr>\nGönderildi: 4 Mart 2024 Pazartesi 10:00\nKime: destek@acme.test\nKonu: Kargo\n\nmerhaba";
    expect(detectManualForward(text, "İLT: Kargo")).toEqual({
      kind: "manual",
      style: "outlook",
      originalFrom: { address: "ayse@example.com.tr", name: "Ayşe Yılmaz" },
      originalSubject: "Kargo",
      originalDate: "4 Mart 2024 Pazartesi 10:00",
    });
  });

  it("is not recognised when the forwarded From has no address", () => {
    const text = "---------- Forwarded message ---------\nFrom: Someone\nDate: today\nSubject: x\n\nbody";
    expect(detectManualForward(text, "Fwd: x")).toBeNull();
  });
});

describe("cleanFilename", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\a.pdf", "a.pdf"],
    ["bad\u0000name\u001f.txt", "badname.txt"],
    ["..", null],
    ["   ", null],
    [undefined, null],
  ])("%j → %j", (input, expected) => {
    expect(cleanFilename(input)).toBe(expected);
  });

  it("keeps the extension when cutting long names", () => {
    const name = cleanFilename(`${"x".repeat(400)}.pdf`)!;
    expect(name).toHaveLength(255);
    expect(name.endsWith(".pdf")).toBe(true);
  });
});
