/**
 * One test per raw fixture in lib/mail/__fixtures__: what an agent would see once the message is
 * ingested (subject, visible text, requester, attachments byte for byte, sanitised HTML, flags).
 * Regenerate the fixtures with `node --import tsx lib/mail/__fixtures__/generate.ts`.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  AGENTS,
  CSV_ORDERS,
  GIF_1X1,
  OUR_ADDRESSES,
  PDF_INVOICE,
  PNG_1X1,
  WINMAIL_DAT,
  XLSX_LIKE,
} from "@/lib/mail/__fixtures__/payloads";
import { parseEmail, rewriteCidUrls, stripQuotedHistory, type ParsedEmail, type ParseEmailOptions } from "@/lib/mail/parse";

const FIXTURES = fileURLToPath(new URL("../__fixtures__/", import.meta.url));
const OPTS: ParseEmailOptions = { agentAddresses: AGENTS, ourAddresses: OUR_ADDRESSES };

const raw = (name: string) => readFileSync(`${FIXTURES}${name}.eml`);
const parse = (name: string, opts: ParseEmailOptions = OPTS) => parseEmail(raw(name), opts);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const names = (m: ParsedEmail) => m.attachments.map((a) => a.filename);

/** No mojibake: no U+FFFD, no C1 controls, no leftover ISO-2022-JP escapes. */
function expectCleanText(...values: (string | null | undefined)[]) {
  for (const v of values) {
    const bad = [...(v ?? "")].filter((c) => c === "\uFFFD" || c === "\u001b" || (c >= "\u0080" && c <= "\u009f"));
    expect(bad).toEqual([]);
  }
}

function expectPlainMessage(m: ParsedEmail) {
  expect(m.autoSubmitted).toBe(false);
  expect(m.autoReason).toBeNull();
  expect(m.isBounce).toBe(false);
  expect(m.bounce).toBeNull();
}

const cases: Record<string, (m: ParsedEmail) => void> = {
  "plain-new-ticket": (m) => {
    expect(m.subject).toBe("Cannot log in to my account");
    expect(m.from).toEqual({ address: "mehmet.demir@example.com", name: "Mehmet Demir" });
    expect(m.requester).toEqual(m.from);
    expect(m.to).toEqual([{ address: "support@acme.test", name: "Acme Support" }]);
    expect(m.messageId).toBe("CAF3k9x0QmZ+1@mail.example.com");
    expect(m.dedupeKey).toBe("CAF3k9x0QmZ+1@mail.example.com");
    expect(m.inReplyTo).toBeNull();
    expect(m.references).toEqual([]);
    expect(m.date?.toISOString()).toBe("2024-03-04T06:15:00.000Z");
    expect(m.text).toBe(
      'Hello,\n\nSince this morning I cannot log in. The page says "invalid password"\nalthough I reset it twice.\n\nThanks,\nMehmet',
    );
    expect(m.html).toBeNull();
    expect(m.attachments).toEqual([]);
    expect(m.forward).toBeNull();
    expect(m.autoForwarded).toBe(false);
    expect(m.ticketToken).toBeNull();
    expect(m.headers["return-path"]).toBe("<mehmet.demir@example.com>");
    expect(m.warnings).toEqual([]);
    expectPlainMessage(m);
  },

  "iso-8859-9-quoted-printable": (m) => {
    expect(m.subject).toBe("Siparişim hâlâ gelmedi");
    expect(m.from).toEqual({ address: "sule.yilmaz@example.com.tr", name: "Şule Yılmaz" });
    expect(m.text).toContain("12 Şubat'ta verdiğim 1001 numaralı sipariş hâlâ kargoya verilmedi.");
    // a soft line break in the middle of the long line is gone
    expect(m.text).toContain("Ürünü iade mi etmeliyim, yoksa beklemeli miyim? Çok acil değil ama öğrenmek isterim.");
    expect(m.text.endsWith("Teşekkürler,\nŞule")).toBe(true);
    expect(m.languageHint).toBe("tr");
    expect(m.headers["x-mailer"]).toBe("Microsoft Outlook 16.0");
    expectCleanText(m.subject, m.text, m.from?.name);
  },

  "windows-1254-base64": (m) => {
    expect(m.subject).toBe("Fatura düzeltme talebi – acil");
    expect(m.from).toEqual({ address: "ibrahim@ozturkgida.example", name: "İbrahim Öztürk" });
    expect(m.to).toEqual([{ address: "destek@acme.test", name: "Acme Destek" }]);
    // bytes that differ between windows-1254 and ISO-8859-9: curly quotes and the euro sign
    expect(m.text).toContain("Şirket unvanımız faturada yanlış yazılmış: “Öztürk Gıda Ltd. Şti.” olmalı.");
    expect(m.text).toContain("Fatura tutarı: 1.250 €");
    expect(m.languageHint).toBe("tr");
    expectCleanText(m.subject, m.text);
  },

  "windows-1254-8bit-raw-headers": (m) => {
    expect(m.subject).toBe("Şifre sıfırlama e-postası gelmiyor");
    expect(m.from).toEqual({ address: "gokce.isik@example.com.tr", name: "Gökçe Işık" });
    expect(m.text).toBe(
      "İyi günler,\n\nŞifremi sıfırlamak istiyorum fakat e-posta hiç gelmiyor. Spam klasörünü de kontrol ettim.\n\nGökçe",
    );
    expect(m.warnings).toContain("part 1: 8-bit header bytes read as windows-1254");
    expectCleanText(m.subject, m.text, m.from?.name);
  },

  "iso-2022-jp": (m) => {
    expect(m.subject).toBe("ログインできません");
    expect(m.from).toEqual({ address: "tanaka.taro@example.jp", name: "田中 太郎" });
    expect(m.text).toBe("お世話になっております。\nパスワードを再設定しましたが、ログインできません。\nよろしくお願いいたします。\n\n田中");
    expect(m.languageHint).toBe("ja");
    expect(m.warnings).toEqual([]);
  },

  "iso-2022-jp-missing-charset": (m) => {
    expect(m.subject).toBe("請求書について");
    expect(m.from?.name).toBe("佐藤 花子");
    expect(m.text).toBe("請求書の金額が間違っているようです。\n添付のPDFをご確認ください。\n\n佐藤");
    expect(m.warnings).toContain("part 1.1: no charset, detected ISO-2022-JP");
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: "invoice.pdf", contentType: "application/pdf", size: PDF_INVOICE.length, sha256: sha(PDF_INVOICE), inline: false });
    expectCleanText(m.text);
  },

  "iso-2022-jp-raw-headers": (m) => {
    expect(m.subject).toBe("至急：注文の確認");
    expect(m.from).toEqual({ address: "suzuki@example.jp", name: null });
    expect(m.text).toBe("注文番号 2024-0042 の状況を教えてください。\n鈴木");
    expect(m.languageHint).toBe("ja");
    expectCleanText(m.subject, m.text);
  },

  "quoted-printable-utf8": (m) => {
    expect(m.subject).toBe("Überweisung für Rechnung 2024-0042");
    expect(m.from?.name).toBe("Jürgen Müller");
    expect(m.text).toContain(
      "ich habe die Überweisung für Rechnung 2024-0042 am Freitag ausgeführt, aber im Kundenkonto steht sie immer noch als „offen“. Bitte prüfen Sie das – danke!",
    );
    expect(m.text).toContain("Formel aus der Tabelle: summe = netto + mwst");
    expect(m.text.endsWith("Mit freundlichen Grüßen\nJürgen Müller")).toBe(true);
  },

  "base64-utf8": (m) => {
    expect(m.subject).toBe("App crashes on export 😣");
    expect(m.text).toBe("Hi team 👋\n\nThe app crashes every time I tap “Export → CSV”. I'm on version 4.2.1 (Android 14).\n\nPriya");
  },

  "rfc2047-names": (m) => {
    expect(m.subject).toBe("Café order – urgent");
    expect(m.from).toEqual({ address: "cigdem.oz@example.com.tr", name: "Çiğdem Öz" });
    expect(m.to).toEqual([
      { address: "jose.garcia@example.es", name: "José García" },
      { address: "francois@example.fr", name: "François Müller" },
      { address: "support@acme.test", name: null },
    ]);
    // two adjacent encoded words are joined without the space between them
    expect(m.cc).toEqual([{ address: "hanako.yamada@example.jp", name: "山田花子" }]);
  },

  "multipart-alternative": (m) => {
    expect(m.text).toBe("Hi,\n\nDoes the *Pro plan* include phone support? See\nhttps://acme.test/pricing\n\nEmma");
    expect(m.html).toContain("<b>Pro plan</b>");
    expect(m.html).toContain(
      '<a href="https://acme.test/pricing" target="_blank" rel="noopener noreferrer nofollow">the pricing page</a>',
    );
    expect(m.attachments).toEqual([]);
    expectPlainMessage(m);
  },

  "html-only": (m) => {
    expect(m.text).toBe(
      "Hello support,\n\nThese orders failed & were charged twice:\n\nOrder Amount\nA-1001 $25.00\nA-1002 $13.50\n\n- Please refund\n- Please confirm <by email>\n\nRegards,\nTiny Shop",
    );
    expect(m.html).toContain('<table border="1"><tr><th>Order</th><th>Amount</th></tr>');
    expect(m.html).toContain("<li>Please confirm &lt;by email&gt;</li>");
    expect(m.html).not.toMatch(/<style|<title|<head|padding: 4px|Report/);
  },

  "multipart-related-inline-image": (m) => {
    expect(m.subject).toBe("Screenshot of the error");
    expect(m.text).toBe("Hello,\n\nHere is the error I get (screenshot below).\n\nLucas");
    expect(m.attachments.map(({ filename, contentType, contentId, inline, size, sha256 }) => ({ filename, contentType, contentId, inline, size, sha256 }))).toEqual([
      { filename: "screenshot.png", contentType: "image/png", contentId: "screenshot@example.fr", inline: true, size: PNG_1X1.length, sha256: sha(PNG_1X1) },
      { filename: "logo.gif", contentType: "image/gif", contentId: "signature-logo@example.fr", inline: true, size: GIF_1X1.length, sha256: sha(GIF_1X1) },
      // in multipart/related but never referenced by the HTML: shown as a normal attachment
      { filename: "unused.png", contentType: "image/png", contentId: "not-referenced@example.fr", inline: false, size: PNG_1X1.length, sha256: sha(PNG_1X1) },
      { filename: "error-log.pdf", contentType: "application/pdf", contentId: null, inline: false, size: PDF_INVOICE.length, sha256: sha(PDF_INVOICE) },
    ]);
    expect(m.attachments[0]!.content.equals(PNG_1X1)).toBe(true);
    // cid: links are left for the worker to rewrite
    expect(m.html).toContain('<img src="cid:screenshot@example.fr" alt="screenshot" />');
    const rewritten = rewriteCidUrls(m.html!, {
      "screenshot@example.fr": "https://files.acme.test/att/1",
      "<signature-logo@example.fr>": "https://files.acme.test/att/2",
    });
    expect(rewritten).toContain('<img src="https://files.acme.test/att/1" alt="screenshot" />');
    expect(rewritten).toContain('<img src="https://files.acme.test/att/2" alt="logo" />');
    expect(rewritten).not.toContain("cid:");
  },

  "winmail-dat": (m) => {
    expect(m.text).toBe("Hi, the updated contract is attached.\n\nRobert");
    expect(m.attachments).toHaveLength(1);
    const [tnef] = m.attachments;
    expect(tnef).toMatchObject({ filename: "winmail.dat", contentType: "application/ms-tnef", size: WINMAIL_DAT.length, contentId: null, inline: false });
    expect(tnef!.sha256).toBe(sha(WINMAIL_DAT));
    expect(tnef!.content.equals(WINMAIL_DAT)).toBe(true);
  },

  "attachment-filenames": (m) => {
    expect(m.text).toBe("Fatura, sipariş listesi ve rapor ekte.");
    expect(m.attachments.map(({ filename, contentType, size }) => ({ filename, contentType, size }))).toEqual([
      // RFC 2231 encoded file name
      { filename: "fatura_şubat_2024.pdf", contentType: "application/pdf", size: PDF_INVOICE.length },
      // RFC 2047 encoded file name
      { filename: "siparişler.csv", contentType: "text/csv", size: CSV_ORDERS.length },
      // application/octet-stream: type guessed from the extension
      { filename: "rapor.xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", size: XLSX_LIKE.length },
      // directories stripped
      { filename: "notes.txt", contentType: "text/plain", size: "remember to call back".length },
      // no file name at all
      { filename: "attachment-5.pdf", contentType: "application/pdf", size: PDF_INVOICE.length },
    ]);
    expect(m.attachments.map((a) => a.sha256)).toEqual([sha(PDF_INVOICE), sha(CSV_ORDERS), sha(XLSX_LIKE), sha(Buffer.from("remember to call back")), sha(PDF_INVOICE)]);
    expect(m.attachments[1]!.content.toString("utf8")).toBe(CSV_ORDERS.toString("utf8"));
  },

  "missing-message-id": (m) => {
    expect(m.messageId).toBeNull();
    expect(m.dedupeKey).toBe(`sha256:${sha(raw("missing-message-id"))}`);
    expect(m.from).toEqual({ address: "noreply@web.example.org", name: "Contact form" });
    expect(m.replyTo).toEqual([{ address: "grace@example.org", name: "Grace Hopper" }]);
    expect(m.requester).toEqual(m.from);
    expect(m.text).toBe("Name: Grace Hopper\nMessage: Do you offer discounts for schools?");
  },

  "broken-folding": (m) => {
    // the unindented line after the folded subject is not part of it, and does not break parsing
    expect(m.subject).toBe("Problem with invoice number 2024-0042 and");
    expect(m.from?.address).toBe("john.smith@example.org");
    expect(m.messageId).toBe("broken-folding-1@example.org");
    expect(m.date?.toISOString()).toBe("2024-03-05T11:00:00.000Z");
    expect(m.text).toBe("The invoice number and the delivery address are both wrong.\nJohn");
  },

  "missing-from": (m) => {
    expect(m.from).toBeNull();
    expect(m.requester).toEqual({ address: "orders@webshop.example.net", name: "Web Shop Orders" });
    expect(m.warnings).toContain("no From header");
    expect(m.text).toBe("An order was placed but the shop did not set a From header.");
  },

  "from-without-address": (m) => {
    expect(m.from).toBeNull();
    expect(m.sender).toEqual({ address: "robot@legacy.example.net", name: "Mailing Robot" });
    expect(m.requester).toEqual(m.sender);
    expect(m.warnings).toContain("From header has no usable address");
    expect(m.text).toBe("The legacy system could not sync customers.");
  },

  "garbage-date": (m) => {
    expect(m.date).toBeNull();
    expect(m.warnings).toContain("unreadable Date header: 32 Smarch 20xx 25:61:99 +9999");
    expect(m.subject).toBe("Date header is garbage");
    expect(m.text).toBe("My mail client has a broken clock.");
  },

  "dsn-postfix": (m) => {
    expect(m.isBounce).toBe(true);
    expect(m.bounce).toEqual({
      originalMessageId: "ticket-1500-msg-3@acme.test",
      recipient: "bob.gone@example.net",
      status: "5.1.1",
      action: "failed",
      diagnostic: "550 5.1.1 <bob.gone@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
    });
    expect(m.autoSubmitted).toBe(true);
    expect(m.autoReason).toBe("auto-submitted:auto-replied");
    expect(m.text).toContain("I'm sorry to have to inform you that your message could not\nbe delivered");
    // the delivery-status part is consumed into `bounce`; the returned headers stay available
    expect(m.attachments.map((a) => a.contentType)).toEqual(["text/rfc822-headers"]);
    expect(m.forward).toBeNull();
  },

  "dsn-gmail-rfc822": (m) => {
    expect(m.bounce).toEqual({
      originalMessageId: "ticket-1600-msg-1@acme.test",
      recipient: "no.such.user@gmail.com",
      status: "5.1.1",
      action: "failed",
      diagnostic: "550-5.1.1 The email account that you tried to reach does not exist.",
    });
    expect(m.autoSubmitted).toBe(true);
    expect(m.autoReason).toBe("bounce");
    expect(m.text).toContain("Your message wasn't delivered to no.such.user@gmail.com");
    expect(m.html).toContain("<h2>Address not found</h2>");
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: "message-2.eml", contentType: "message/rfc822" });
    expect(m.attachments[0]!.content.toString()).toContain("Subject: [#1600] Welcome to Acme");
    expect(m.ticketToken).toBeNull();
  },

  "bounce-exim-plain": (m) => {
    expect(m.isBounce).toBe(true);
    expect(m.bounce).toEqual({
      originalMessageId: "ticket-1700-msg-2@acme.test",
      recipient: "nobody@example.org",
      status: "5.1.1",
      action: "failed",
      diagnostic: "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown",
    });
    expect(m.autoReason).toBe("auto-submitted:auto-replied");
    expect(m.ticketToken).toBeNull();
  },

  "dsn-delayed": (m) => {
    expect(m.isBounce).toBe(true);
    expect(m.bounce).toEqual({
      originalMessageId: "ticket-1800-msg-1@acme.test",
      recipient: "slow@example.com",
      status: "4.4.7",
      action: "delayed",
      diagnostic: "connect to mx.example.com[203.0.113.5]:25: Connection timed out",
    });
  },

  "out-of-office-outlook": (m) => {
    expect(m.autoSubmitted).toBe(true);
    expect(m.autoReason).toBe("auto-submitted:auto-replied");
    expect(m.isBounce).toBe(false);
    expect(m.subject).toBe("Automatic reply: [#1234] Your order has shipped");
    expect(m.ticketToken).toBe(1234);
    expect(m.inReplyTo).toBe("ticket-1234-msg-4@acme.test");
    expect(m.languageHint).toBe("en-us");
    expect(m.headers["x-auto-response-suppress"]).toBe("All");
    expect(m.headers["auto-submitted"]).toBe("auto-replied");
  },

  "out-of-office-subject-only": (m) => {
    expect(m.subject).toBe("Otomatik yanıt: Siparişiniz kargoda");
    expect(m.autoSubmitted).toBe(true);
    expect(m.autoReason).toBe("out-of-office-subject");
    expect(m.text).toBe("1 Nisan'a kadar izindeyim. Acil durumlar için lütfen ofisi arayın.");
  },

  "mailing-list": (m) => {
    expect(m.autoSubmitted).toBe(true);
    expect(m.autoReason).toBe("precedence:list");
    expect(m.headers["list-id"]).toBe("Example users list <users.lists.example.org>");
    expect(m.sender).toEqual({ address: "users-bounces@lists.example.org", name: "users" });
    expect(m.requester?.address).toBe("victor@example.org");
  },

  "newsletter-bulk-html": (m) => {
    expect(m.autoSubmitted).toBe(true);
    expect(m.autoReason).toBe("precedence:bulk");
    expect(m.text).toBe("What's new in March\n\nThree new features.\n\nRead more");
    expect(m.html).not.toMatch(/<style|url\(|background-image/i);
    expect(m.html).toContain('<p style="color:#333">Three new features.</p>');
  },

  "forward-gmail-by-agent": (m) => {
    expect(m.from).toEqual({ address: "ayse.kaya@acme.test", name: "Ayşe Kaya" });
    expect(m.forward).toEqual({
      kind: "manual",
      style: "gmail",
      originalFrom: { address: "can.aydin@example.com.tr", name: "Can Aydın" },
      originalSubject: "Kargo takip numarası yok",
      originalDate: "Mon, Mar 25, 2024 at 3:22 PM",
    });
    expect(m.requester).toEqual({ address: "can.aydin@example.com.tr", name: "Can Aydın" });
    // the forwarded message is content, not history: nothing is folded
    expect(stripQuotedHistory(m.text).quoted).toBe("");
    expect(stripQuotedHistory(m.html!).quoted).toBe("");
    expect(m.html).toContain('<div class="gmail_quote">');
  },

  "forward-outlook-by-agent": (m) => {
    expect(m.forward).toEqual({
      kind: "manual",
      style: "outlook",
      originalFrom: { address: "laura.jensen@example.dk", name: "Laura Jensen" },
      originalSubject: "Refund request #5521",
      originalDate: "Tuesday, March 26, 2024 10:12 AM",
    });
    expect(m.requester?.address).toBe("laura.jensen@example.dk");
    expect(m.ticketToken).toBeNull();
    expect(m.html).toContain('<div id="divRplyFwdMsg" dir="ltr">');
    expect(m.html).not.toMatch(/tabindex|<style|<meta/);
  },

  "forward-outlook-original-message": (m) => {
    // forwarded by the shared mailbox itself (one of ourAddresses)
    expect(m.from?.address).toBe("destek@acme.test");
    expect(m.fromOwnAddress).toBe(true);
    expect(m.forward).toMatchObject({
      style: "outlook",
      originalFrom: { address: "peter.novak@example.cz", name: "Peter Novak" },
      originalSubject: "Warranty claim",
      originalDate: "Wednesday, March 27, 2024 8:01 AM",
    });
    expect(m.requester).toEqual({ address: "peter.novak@example.cz", name: "Peter Novak" });
    expect(m.text.startsWith("-----Original Message-----")).toBe(true);
  },

  "forward-apple-mail": (m) => {
    expect(m.forward).toMatchObject({
      style: "apple",
      originalFrom: { address: "hannah.schmidt@example.de", name: "Hannah Schmidt" },
      originalSubject: "Broken screen",
      originalDate: "27. March 2024 at 14:03:11 CET",
    });
    expect(m.requester?.address).toBe("hannah.schmidt@example.de");
    expect(stripQuotedHistory(m.text).quoted).toBe("");
    expect(stripQuotedHistory(m.html!).quoted).toBe("");
  },

  "forward-thunderbird-by-customer": (m) => {
    expect(m.forward).toMatchObject({
      style: "thunderbird",
      originalFrom: { address: "billing@acme.test", name: "Acme Billing" },
      originalSubject: "Your receipt from Acme",
      originalDate: "Thu, 28 Mar 2024 08:00:00 +0000",
    });
    // a customer forwarding something stays the requester
    expect(m.requester).toEqual({ address: "olivia.brown@example.co.uk", name: "Olivia Brown" });
  },

  "forward-gmail-turkish": (m) => {
    expect(m.subject).toBe("Fwd: İade");
    expect(m.forward).toMatchObject({ style: "gmail", originalFrom: { address: "elif.arslan@example.com.tr", name: "Elif Arslan" }, originalSubject: "İade" });
    expect(m.requester?.address).toBe("elif.arslan@example.com.tr");
  },

  "reply-in-reply-to": (m) => {
    expect(m.inReplyTo).toBe("ticket-1001-msg-2@acme.test");
    expect(m.references).toEqual(["ticket-1001@acme.test", "ticket-1001-msg-2@acme.test"]);
    expect(m.ticketToken).toBe(1001);
    const text = stripQuotedHistory(m.text);
    expect(text.visible).toBe("That worked, thank you!");
    expect(text.quoted.startsWith("On Mon, 4 Mar 2024 at 10:00, Acme Support <support@acme.test> wrote:")).toBe(true);
    const html = stripQuotedHistory(m.html!);
    expect(html.visible).toBe('<div dir="ltr">That worked, thank you!</div><br />');
    expect(html.quoted).toContain("please try clearing your browser cookies");
    expect(m.forward).toBeNull();
  },

  "reply-references-only": (m) => {
    expect(m.inReplyTo).toBeNull();
    expect(m.references).toEqual(["ticket-1001@acme.test", "ticket-1001-msg-2@acme.test", "CAF3k9x0QmZ+2@mail.example.com"]);
    expect(m.ticketToken).toBeNull();
    expect(stripQuotedHistory(m.text)).toEqual({
      visible: "It stopped working again today.",
      quoted: "> please try clearing your browser cookies and log in again.\n> Acme Support",
    });
  },

  "reply-subject-token-only": (m) => {
    expect(m.inReplyTo).toBeNull();
    expect(m.references).toEqual([]);
    expect(m.ticketToken).toBe(1234);
    // an Outlook header block in a reply (RE:) is history, not a forward
    expect(m.forward).toBeNull();
    expect(m.requester?.address).toBe("nadia.petrova@example.bg");
    const split = stripQuotedHistory(m.text);
    expect(split.visible).toBe("The fire is out, but the printer still does not print.\n\nNadia");
    expect(split.quoted).toContain("Please unplug the printer immediately.");
  },

  "outlook-html-reply": (m) => {
    expect(m.ticketToken).toBe(2002);
    expect(m.text.startsWith("Friday works for me.\n\nNadia\n\nFrom: Acme Support <support@acme.test>")).toBe(true);
    const html = stripQuotedHistory(m.html!);
    expect(html.visible).toBe("<div><p>Friday works for me.</p><p>Nadia</p></div>");
    expect(html.quoted).toContain("Can we deliver on Friday?");
    expect(stripQuotedHistory(m.text).visible).toBe("Friday works for me.\n\nNadia");
  },

  "apple-mail-reply": (m) => {
    expect(m.inReplyTo).toBe("ticket-2100-msg-2@acme.test");
    expect(stripQuotedHistory(m.text)).toEqual({
      visible: "Great, thanks a lot!",
      quoted: "> On 28. Mar 2024, at 17:00, Acme Support <support@acme.test> wrote:\n> \n> We will send a replacement tomorrow.",
    });
    const html = stripQuotedHistory(m.html!);
    expect(html.visible).toContain("Great, thanks a lot!");
    expect(html.visible).not.toContain("replacement");
    expect(html.quoted).toContain('<blockquote type="cite">');
  },

  "inline-reply-interleaved": (m) => {
    // answers between the quoted lines: nothing may be hidden
    expect(stripQuotedHistory(m.text)).toEqual({ visible: m.text, quoted: "" });
    expect(m.text).toContain("4.2.1");
    expect(m.text.endsWith("Yes, on both.")).toBe(true);
  },

  "html-xss": (m) => {
    const html = m.html!;
    for (const bad of [
      /<script/i, /onerror|onload|onclick/i, /javascript:/i, /<iframe|<object|<embed|<form|<input|<button/i,
      /<style|<meta|<base|<link|<svg|<math/i, /data:text\/html/i, /data:image\/svg/i, /url\(|expression|behaviou?r\s*:/i,
      /position/i, /SECRET TITLE/, /iframe fallback|object fallback/,
    ]) {
      expect(html).not.toMatch(bad);
    }
    expect(html).toContain("Hello <b>agent</b>, please <a>click here</a>.");
    expect(html).toContain('<p style="color:red">');
    expect(html).toContain('<a href="https://ok.example.com/path?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">safe link</a>');
    expect(html).toContain('<a href="mailto:help@example.com"');
    expect(html).toContain('<img src="https://cdn.example.com/logo.png" alt="logo" />');
    expect(html).toContain('<img src="data:image/png;base64,');
    expect(html).toContain('<table border="1"><tr><td>cell</td></tr></table>');
    // "<scr<script>ipt>" leaves only inert, escaped text behind
    expect(html).toContain("ipt&gt;alert(10)");
    expect(html.match(/alert\(/g)).toHaveLength(1);
    expect(m.text.startsWith("Hello agent, please click here.")).toBe(true);
    expect(m.text).not.toMatch(/SECRET|script-in-head|fallback/);
  },

  "empty-body": (m) => {
    expect(m.subject).toBe("");
    expect(m.text).toBe("");
    expect(m.html).toBeNull();
    expect(m.attachments).toEqual([]);
    expect(m.requester?.address).toBe("quiet@example.com");
  },

  "huge-subject": (m) => {
    expect(m.subject).toHaveLength(998);
    expect(m.subject.startsWith("Re: word0 word1 word2")).toBe(true);
    expect(m.subject.endsWith("…")).toBe(true);
    // the token sits past the cut and is still found
    expect(m.ticketToken).toBe(777);
    expect(m.warnings.some((w) => w.startsWith("subject cut from"))).toBe(true);
  },

  "8bit-no-charset-utf8": (m) => {
    expect(m.text).toBe("Grüße aus München — bitte an die Hauptstraße 5 liefern.");
    expect(m.warnings).toEqual([]);
  },

  "8bit-no-charset-latin1": (m) => {
    expect(m.text).toBe("Bonjour, la facture n° 42 coûte 30 € mais j’ai payé 35 €. Très étrange…");
    expect(m.warnings).toEqual(["part 1: no charset, detected windows-1252"]);
    expectCleanText(m.text);
  },

  "8bit-no-charset-turkish": (m) => {
    expect(m.subject).toBe("Ödeme yapıldı ama sipariş yok");
    expect(m.text).toBe("Ödeme yaptım ama sipariş görünmüyor. Lütfen kontrol eder misiniz?\nHakan");
    expect(m.languageHint).toBe("tr");
    expectCleanText(m.subject, m.text);
  },

  "mislabelled-us-ascii": (m) => {
    expect(m.text).toBe("Sorun çözüldü, teşekkürler. İyi çalışmalar!");
    expect(m.warnings).toEqual(['part 1: declared charset "us-ascii" does not fit the body, read as windows-1254']);
  },

  "unknown-charset": (m) => {
    expect(m.text).toBe("Şikâyetim var: ürün çalışmıyor.");
    expectCleanText(m.text);
  },

  "duplicate-to-cc": (m) => {
    expect(m.to).toEqual([
      { address: "support@acme.test", name: null },
      { address: "sales@acme.test", name: null },
    ]);
    // duplicates (any case), addresses already in To and the empty group are gone
    expect(m.cc).toEqual([
      { address: "ali@example.com", name: "Ali Veli" },
      { address: "ops@acme.test", name: "Ops" },
    ]);
  },

  "auto-forwarded": (m) => {
    expect(m.autoForwarded).toBe(true);
    expect(m.requester).toEqual({ address: "ben.carter@example.com", name: "Ben Carter" });
    expect(m.forward).toBeNull();
    expect(m.autoSubmitted).toBe(false);
    expect(m.headers["x-forwarded-to"]).toBe("support@acme.test");
    expect(m.headers["delivered-to"]).toBe("support@acme.test");
  },

  "format-flowed": (m) => {
    expect(m.text).toBe(
      "This is a long paragraph that my mail client wrapped at seventy-two characters using format=flowed so it should be joined back into one line by the parser.\n\nSecond paragraph.",
    );
  },

  "attached-eml-message": (m) => {
    expect(m.text).toBe("See the attached message, the link in it does not work.");
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: "original.eml", contentType: "message/rfc822", inline: false });
    expect(m.attachments[0]!.content.toString()).toContain("Subject: [#2300] Activate your account");
    expect(m.isBounce).toBe(false);
    expect(m.ticketToken).toBeNull();
  },

  "calendar-invite": (m) => {
    expect(m.text).toBe("You have been invited to: Onboarding call");
    expect(names(m)).toEqual(["attachment-1.ics", "invite.ics"]);
    expect(m.attachments.map((a) => a.contentType)).toEqual(["text/calendar", "application/ics"]);
    expect(m.attachments[0]!.content.toString()).toContain("SUMMARY:Onboarding call");
    expectPlainMessage(m);
  },

  "read-receipt-mdn": (m) => {
    expect(m.autoSubmitted).toBe(true);
    expect(m.autoReason).toBe("report:disposition-notification");
    expect(m.isBounce).toBe(false);
    expect(m.ticketToken).toBe(1234);
  },

  "nested-mixed-alt-related": (m) => {
    expect(m.text).toBe("Buongiorno, il pacco è arrivato danneggiato. Foto qui sotto e fattura allegata.\n\nSofia");
    expect(m.attachments.map(({ filename, contentId, inline, sha256 }) => ({ filename, contentId, inline, sha256 }))).toEqual([
      { filename: "image001.png", contentId: "image001.png@01DA8659.5E4C3A10", inline: true, sha256: sha(PNG_1X1) },
      { filename: "fattura.pdf", contentId: null, inline: false, sha256: sha(PDF_INVOICE) },
    ]);
    expect(rewriteCidUrls(m.html!, { "image001.png@01DA8659.5E4C3A10": "/api/attachments/9?sig=a&b" })).toContain(
      '<img src="/api/attachments/9?sig=a&amp;b" width="1" height="1" alt="foto" />',
    );
  },

  "inline-image-no-filename": (m) => {
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: "image-1.gif", contentType: "image/gif", contentId: "part1.ABCDEF@example.fr", inline: true, sha256: sha(GIF_1X1) });
    expect(m.text).toBe("Our logo:");
    expect(m.html).toBe('<p>Our logo: <img src="cid:part1.ABCDEF@example.fr" /></p>');
  },

  "lf-line-endings": (m) => {
    expect(m.subject).toBe("Sent from a script with LF line endings");
    expect(m.text).toBe("Dosya ekte. Teşekkürler.");
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: "log.txt", contentType: "text/plain" });
    expect(m.attachments[0]!.content.toString()).toBe("line 1\nline 2");
  },

  "html-iso-8859-9-base64": (m) => {
    expect(m.subject).toBe("Ürün iadesi");
    expect(m.from).toEqual({ address: "cagri.sahin@example.com.tr", name: "Çağrı Şahin" });
    // HTML-only body inside multipart/mixed: text derived from the HTML
    expect(m.text).toBe("Merhaba,\n\nÜrünü iade etmek istiyorum. Kargo ücretini kim ödüyor?\n\nÇağrı");
    expect(m.html).toBe("<p>Merhaba,</p><p>Ürünü <b>iade</b> etmek istiyorum. Kargo ücretini kim ödüyor?</p><p>Çağrı</p>");
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: "kutu.png", inline: false, sha256: sha(PNG_1X1) });
  },
};

describe("parseEmail on the raw fixtures", () => {
  it("has an expectation for every fixture and a fixture for every expectation", () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => f.slice(0, -4))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(cases).sort()).toEqual(files);
  });

  it("keeps every committed fixture under 1 MiB", () => {
    for (const f of readdirSync(FIXTURES)) expect(statSync(`${FIXTURES}${f}`).size).toBeLessThan(1024 * 1024);
  });

  for (const [name, check] of Object.entries(cases)) {
    it(name, async () => {
      const m = await parse(name);
      check(m);
      // invariants every parsed message satisfies
      expect(m.dedupeKey).toBe(m.messageId ?? `sha256:${sha(raw(name))}`);
      expect(m.html ?? "").not.toMatch(/<script|\son\w+\s*=|javascript:/i);
      for (const a of m.attachments) {
        expect(a.size).toBe(a.content.length);
        expect(a.sha256).toBe(sha(a.content));
      }
    });
  }
});

describe("requester of a manual forward", () => {
  it("is the forwarder when the forwarder is not a known agent", async () => {
    const m = await parse("forward-gmail-by-agent", {});
    expect(m.forward?.originalFrom.address).toBe("can.aydin@example.com.tr");
    expect(m.requester).toEqual({ address: "ayse.kaya@acme.test", name: "Ayşe Kaya" });
  });

  it("matches agent addresses case-insensitively", async () => {
    const m = await parse("forward-outlook-by-agent", { agentAddresses: ["Tom.Baker@ACME.test"] });
    expect(m.requester?.address).toBe("laura.jensen@example.dk");
  });

  it("uses the original sender when the forward comes from one of our mailboxes", async () => {
    const m = await parse("forward-outlook-original-message", { ourAddresses: ["destek@acme.test"] });
    expect(m.requester?.address).toBe("peter.novak@example.cz");
    const plain = await parse("forward-outlook-original-message", {});
    expect(plain.requester?.address).toBe("destek@acme.test");
    expect(plain.fromOwnAddress).toBe(false);
  });
});
