import { describe, expect, it } from "vitest";
import { stripQuotedHistory } from "@/lib/mail/parse";

describe("stripQuotedHistory (text)", () => {
  it("folds an English attribution and everything after it", () => {
    const text = "Thanks!\n\nOn Tue, 5 Mar 2024 at 10:00, Acme <support@acme.test> wrote:\n> old\n> older";
    expect(stripQuotedHistory(text)).toEqual({
      visible: "Thanks!",
      quoted: "On Tue, 5 Mar 2024 at 10:00, Acme <support@acme.test> wrote:\n> old\n> older",
    });
  });

  it("recognises an attribution wrapped over two lines", () => {
    const text = "Ok.\n\nOn Mon, Jan 1, 2024 at 10:00 AM Acme Support <\nsupport@acme.test> wrote:\n\n> hello";
    expect(stripQuotedHistory(text).visible).toBe("Ok.");
  });

  it.each([
    ["Turkish (Gmail)", "4 Mar 2024 Pzt, 10:00 tarihinde Acme Destek <destek@acme.test> şunu yazdı:"],
    ["German", "Am 04.03.2024 um 10:00 schrieb Acme Support <support@acme.test>:"],
    ["French", "Le lun. 4 mars 2024 à 10:00, Acme Support <support@acme.test> a écrit :"],
    ["Spanish", "El lun, 4 mar 2024 a las 10:00, Acme Support (<support@acme.test>) escribió:"],
  ])("recognises a %s attribution", (_lang, attribution) => {
    const text = `Tamam, teşekkürler.\n\n${attribution}\n\n> eski mesaj`;
    expect(stripQuotedHistory(text)).toEqual({ visible: "Tamam, teşekkürler.", quoted: `${attribution}\n\n> eski mesaj` });
  });

  it("folds at an Outlook 'Original Message' separator", () => {
    const text = "See below.\n\n-----Original Message-----\nFrom: A <a@example.com>\nSent: Monday\nTo: b@example.com\nSubject: x\n\nold";
    const { visible, quoted } = stripQuotedHistory(text);
    expect(visible).toBe("See below.");
    expect(quoted.startsWith("-----Original Message-----")).toBe(true);
  });

  it("folds at a Turkish Outlook header block", () => {
    const text = "Uygundur.\n\nKimden: Acme Destek <destek@acme.test>\nGönderildi: 4 Mart 2024 Pazartesi 10:00\nKime: Ali <ali@example.com>\nKonu: Teslimat\n\neski";
    expect(stripQuotedHistory(text).visible).toBe("Uygundur.");
  });

  it("folds a trailing block of '>' lines even without an attribution", () => {
    expect(stripQuotedHistory("New text\n\n> a\n>\n> b\n")).toEqual({ visible: "New text", quoted: "> a\n>\n> b" });
  });

  it("does not fold interleaved (inline) answers", () => {
    const text = "On Mon, Acme wrote:\n> Q1?\nA1\n> Q2?\nA2";
    expect(stripQuotedHistory(text)).toEqual({ visible: text, quoted: "" });
  });

  it("never leaves an empty visible part", () => {
    const text = "> only quoted\n> text";
    expect(stripQuotedHistory(text)).toEqual({ visible: text, quoted: "" });
    expect(stripQuotedHistory("On Mon, X wrote:\n> hi")).toEqual({ visible: "On Mon, X wrote:\n> hi", quoted: "" });
  });

  it("leaves forwarded messages alone", () => {
    const text =
      "FYI\n\n---------- Forwarded message ---------\nFrom: C <c@example.com>\nDate: Mon, Mar 4, 2024\nSubject: Help\nTo: <a@acme.test>\n\nPlease help";
    expect(stripQuotedHistory(text)).toEqual({ visible: text, quoted: "" });
  });

  it("normalises CRLF and handles empty input", () => {
    expect(stripQuotedHistory("a\r\nb")).toEqual({ visible: "a\nb", quoted: "" });
    expect(stripQuotedHistory("")).toEqual({ visible: "", quoted: "" });
  });
});

describe("stripQuotedHistory (HTML)", () => {
  it("folds Gmail's gmail_quote and closes the visible fragment", () => {
    const html =
      '<div dir="ltr"><p>Yes</p><div class="gmail_quote"><div class="gmail_attr">On Mon X wrote:</div><blockquote class="gmail_quote">old</blockquote></div></div>';
    const { visible, quoted } = stripQuotedHistory(html);
    expect(visible).toBe('<div dir="ltr"><p>Yes</p></div>');
    expect(quoted).toBe('<div class="gmail_quote"><div class="gmail_attr">On Mon X wrote:</div><blockquote class="gmail_quote">old</blockquote></div>');
  });

  it("folds Thunderbird's moz-cite-prefix", () => {
    const html = '<p>Done.</p><div class="moz-cite-prefix">On 3/7/24 9:00 AM, Acme wrote:<br></div><blockquote type="cite">old</blockquote>';
    expect(stripQuotedHistory(html)).toEqual({
      visible: "<p>Done.</p>",
      quoted: '<div class="moz-cite-prefix">On 3/7/24 9:00 AM, Acme wrote:<br /></div><blockquote type="cite">old</blockquote>',
    });
  });

  it("takes the attribution line before a blockquote along (Apple Mail)", () => {
    const html = "<div>Great!</div><div><br><div>On 28. Mar 2024, at 17:00, Acme &lt;a@acme.test&gt; wrote:</div><blockquote type=\"cite\">old</blockquote></div>";
    const { visible, quoted } = stripQuotedHistory(html);
    expect(visible).toBe("<div>Great!</div>");
    expect(quoted).toBe('<div><br /><div>On 28. Mar 2024, at 17:00, Acme &lt;a@acme.test&gt; wrote:</div><blockquote type="cite">old</blockquote></div>');
  });

  it("folds Outlook's appendonsend / divRplyFwdMsg", () => {
    const html = '<div>Fine.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> A</div><div>old</div>';
    expect(stripQuotedHistory(html).visible).toBe("<div>Fine.</div>");
  });

  it("folds Outlook desktop's border-top header div and Yahoo's yahoo_quoted", () => {
    expect(
      stripQuotedHistory('<p>Ok</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p><b>From:</b> x</p></div>').visible,
    ).toBe("<p>Ok</p>");
    expect(stripQuotedHistory('<div>Ok</div><div class="yahoo_quoted">old</div>').visible).toBe("<div>Ok</div>");
  });

  it("returns sanitised fragments", () => {
    const { visible, quoted } = stripQuotedHistory('<p onclick="x()">Hi<script>alert(1)</script></p><div class="gmail_quote"><img src=x onerror=alert(2)></div>');
    expect(visible).toBe("<p>Hi</p>");
    expect(quoted).toBe('<div class="gmail_quote"><img /></div>');
  });

  it("keeps everything visible when the quote marker is at the very top", () => {
    const html = '<div class="gmail_quote">only quoted</div>';
    expect(stripQuotedHistory(html)).toEqual({ visible: html, quoted: "" });
  });

  it("can be told the format explicitly", () => {
    expect(stripQuotedHistory("<b>not html</b>\n> quoted", "text")).toEqual({ visible: "<b>not html</b>", quoted: "> quoted" });
  });
});
