import { existsSync, readdirSync, rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// Stored attachments go to a directory of this file's own, so "nothing left behind" is checkable.
const storageDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/rd-form-files-${process.pid}-${Date.now()}`;
  process.env.STORAGE_DIR = dir;
  return dir;
});

import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { formConfig, keptFormConfig, type FormConfig } from "@/lib/forms/fields";
import { FormChanged, postContactForm, submitContactForm, type SubmitInput } from "@/lib/forms/submit";
import { hotDb } from "@/lib/hot-db";
import { searchFaq } from "@/lib/faq/service";
import { getStorage } from "@/lib/storage";

let brand: FormConfig;
let seq = 0;

function storedFiles(): string[] {
  if (!existsSync(storageDir)) return [];
  return readdirSync(storageDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

function input(over: Partial<SubmitInput> = {}): SubmitInput {
  seq += 1;
  return {
    name: "Fiona Form",
    email: `fiona${seq}@example.com`,
    subject: `Export crashes ${seq}`,
    message: "When I export to CSV the app closes.\n\nSecond paragraph <b>not html</b>.",
    fields: { orderNumber: "A-1001", plan: "Pro" },
    files: [],
    honeypot: "",
    ip: `203.0.113.${seq}`,
    language: "en",
    ...over,
  };
}

const ticketCount = () => db.ticket.count({ where: { channel: "FORM" } });

beforeAll(async () => {
  await seedDemo(db);
  const acme = await db.brand.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } });
  await db.formField.deleteMany({ where: { brandId: acme.id } });
  await db.formField.createMany({
    data: [
      { brandId: acme.id, key: "orderNumber", label: "Order number", kind: "TEXT", required: true, position: 0 },
      { brandId: acme.id, key: "plan", label: "Plan", kind: "SELECT", options: ["Free", "Pro"], position: 1 },
      { brandId: acme.id, key: "terms", label: "I agree", kind: "CHECKBOX", position: 2 },
    ],
  });
  brand = (await formConfig(db, "acme"))!;
});

afterAll(async () => {
  await hotDb().$disconnect();
  rmSync(storageDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.rateLimitBucket.deleteMany();
  brand = (await formConfig(db, "acme"))!; // as the form is now: some tests change it
});

describe("contact form submission", () => {
  it("creates a FORM ticket with the message, custom fields, attachment and a queued confirmation carrying the number", async () => {
    const pdf = new File([Buffer.from("%PDF-1.4 invoice")], "invoice.pdf", { type: "application/pdf" });
    const r = await submitContactForm(db, brand, input({ email: "Fiona.Case@Example.com", subject: "Export crashes", files: [pdf] }));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));

    const t = await db.ticket.findUniqueOrThrow({
      where: { number: r.number },
      select: { id: true, channel: true, subject: true, fields: true, messageCount: true, snippet: true, customer: { select: { email: true, name: true } }, messages: { orderBy: { id: "asc" }, select: { kind: true, text: true, html: true, emailMessageId: true, attachments: { select: { name: true, storageKey: true } } } } },
    });
    expect(t.channel).toBe("FORM");
    expect(t.subject).toBe("Export crashes");
    expect(t.customer).toEqual({ email: "fiona.case@example.com", name: "Fiona Form" });
    expect(t.fields).toEqual({ orderNumber: "A-1001", plan: "Pro", terms: false });
    const [first, confirmation] = t.messages;
    expect(first!.kind).toBe("CUSTOMER");
    expect(first!.html).toContain("&lt;b&gt;not html&lt;/b&gt;");
    expect(first!.html).not.toContain("<b>");
    expect(first!.attachments.map((a) => a.name)).toEqual(["invoice.pdf"]);
    expect((await getStorage().get(first!.attachments[0]!.storageKey)).toString()).toBe("%PDF-1.4 invoice");

    expect(confirmation!.kind).toBe("AUTO_REPLY");
    // Counted on the ticket like any public message after the first.
    expect(t.messageCount).toBe(2);
    expect(t.snippet).toBe(confirmation!.text.replace(/\s+/g, " ").trim().slice(0, 160));
    const mail = await db.emailLog.findFirstOrThrow({ where: { ticketId: t.id, direction: "OUT" }, select: { to: true, subject: true, text: true, purpose: true, emailMessageId: true, headers: true } });
    expect(mail.purpose).toBe("FORM_CONFIRMATION");
    expect(mail.to).toEqual(["fiona.case@example.com"]);
    expect(mail.subject).toContain(`#${r.number}`);
    expect(mail.text).toContain(String(r.number));
    expect(mail.headers).toMatchObject({ "Auto-Submitted": "auto-replied" });
    // The customer's reply to the confirmation threads back by this Message-ID.
    expect(mail.emailMessageId).toBe(confirmation!.emailMessageId);
  });

  it("writes the confirmation in the visitor's language", async () => {
    const r = await submitContactForm(db, brand, input({ language: "tr" }));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const mail = await db.emailLog.findFirstOrThrow({ where: { ticket: { number: r.number }, direction: "OUT" }, select: { subject: true } });
    const en = await submitContactForm(db, brand, input({ language: "en" }));
    if (!en.ok) throw new Error("english submission failed");
    const enMail = await db.emailLog.findFirstOrThrow({ where: { ticket: { number: en.number }, direction: "OUT" }, select: { subject: true } });
    expect(mail.subject.replace(/\d+/g, "")).not.toBe(enMail.subject.replace(/\d+/g, ""));
  });

  it("says in the confirmation when we are back, from the brand's hours as they are at that moment", async () => {
    const hours = await db.brand.findUniqueOrThrow({ where: { id: brand.id }, select: { businessHours: { select: { id: true, schedule: true, holidays: true } } } });
    const id = hours.businessHours!.id;
    const always = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const confirmation = async () => {
      const r = await submitContactForm(db, brand, input());
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return (await db.emailLog.findFirstOrThrow({ where: { ticket: { number: r.number }, direction: "OUT" }, select: { text: true } })).text;
    };
    try {
      // Edited behind the admin's back (no cache is told): the next confirmation follows all the same.
      await db.businessHours.update({ where: { id }, data: { schedule: always, holidays: [] } });
      expect(await confirmation()).not.toContain("We are closed");
      await db.businessHours.update({ where: { id }, data: { holidays: [-1, 0, 1].map((o) => ({ date: day(o), recurring: false })) } });
      expect(await confirmation()).toContain("We are closed right now and will answer when we are back");
      expect(await confirmation()).toContain("We are closed right now and will answer when we are back");
      // Open again: the sentence kept while closed is not said.
      await db.businessHours.update({ where: { id }, data: { schedule: always, holidays: [] } });
      expect(await confirmation()).not.toContain("We are closed");
    } finally {
      await db.businessHours.update({ where: { id }, data: { schedule: hours.businessHours!.schedule as object, holidays: hours.businessHours!.holidays as object } });
    }
  });

  it("names every invalid field at once and saves nothing", async () => {
    const before = await ticketCount();
    const r = await submitContactForm(db, brand, input({ name: " ", email: "not-an-email", subject: "", message: "", fields: { plan: "Enterprise" }, typeId: "nope" }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(["email", "field_orderNumber", "field_plan", "message", "name", "subject", "typeId"]);
    expect(await ticketCount()).toBe(before);
  });

  it("requires a required checkbox to be ticked", async () => {
    await db.formField.update({ where: { brandId_key: { brandId: brand.id, key: "terms" } }, data: { required: true } });
    try {
      const cfg = (await formConfig(db, "acme"))!;
      const r = await submitContactForm(db, cfg, input());
      expect(r.ok ? null : r.errors.field_terms).toBeTruthy();
      const ok = await submitContactForm(db, cfg, input({ fields: { orderNumber: "A-2", terms: "on" } }));
      expect(ok.ok).toBe(true);
    } finally {
      await db.formField.update({ where: { brandId_key: { brandId: brand.id, key: "terms" } }, data: { required: false } });
    }
  });

  it("checks a post against the form as it is now, though the process keeps the form it read", async () => {
    const kept = (await keptFormConfig(db, "acme", true))!;
    expect(await keptFormConfig(db, "acme")).toBe(kept); // no read of its own while nothing changed
    const before = await ticketCount();
    // An admin (another process, or another bundle of this one) makes the checkbox required…
    await db.formField.update({ where: { brandId_key: { brandId: brand.id, key: "terms" } }, data: { required: true } });
    try {
      // …a submission checked against the old form alone is refused whole…
      await expect(submitContactForm(db, kept, input())).rejects.toBeInstanceOf(FormChanged);
      expect(await ticketCount()).toBe(before);
      // …and a post is checked again against the new form: the field is required at once.
      const refused = await postContactForm(db, "acme", () => ({ input: input() }));
      expect(refused!.result.ok ? null : refused!.result.errors.field_terms).toBeTruthy();
      expect(await ticketCount()).toBe(before);
      const kept2 = (await keptFormConfig(db, "acme"))!;
      expect(kept2.formFields.find((f) => f.key === "terms")?.required).toBe(true);
    } finally {
      await db.formField.update({ where: { brandId_key: { brandId: brand.id, key: "terms" } }, data: { required: false } });
    }
    // Made optional again: a post the kept form would refuse is accepted.
    const accepted = await postContactForm(db, "acme", () => ({ input: input() }));
    expect(accepted!.result.ok).toBe(true);
    expect(await ticketCount()).toBe(before + 1);
    expect(await postContactForm(db, "no-such-brand", () => ({ input: input() }))).toBeNull();
  });

  it("refuses a filled honeypot without saving", async () => {
    const before = await ticketCount();
    const r = await submitContactForm(db, brand, input({ honeypot: "http://spam.example" }));
    expect(r.ok ? null : r.errors.form).toBeTruthy();
    expect(await ticketCount()).toBe(before);
  });

  it("refuses a sixth file, a file over 20 MB and an executable — and stores none of them", async () => {
    const before = { tickets: await ticketCount(), files: storedFiles().length };
    const small = (name: string, type = "text/plain") => new File(["x"], name, { type });
    const six = Array.from({ length: 6 }, (_, i) => small(`f${i}.txt`));
    const tooMany = await submitContactForm(db, brand, input({ files: six }));
    expect(tooMany.ok ? null : tooMany.errors.files).toMatch(/5/);

    const big = new File([Buffer.alloc(20 * 1024 * 1024 + 1)], "big.pdf", { type: "application/pdf" });
    const tooBig = await submitContactForm(db, brand, input({ files: [big] }));
    expect(tooBig.ok ? null : tooBig.errors.files).toContain("big.pdf");

    const exe = await submitContactForm(db, brand, input({ files: [small("setup.exe", "application/octet-stream")] }));
    expect(exe.ok ? null : exe.errors.files).toContain("setup.exe");
    const disguised = await submitContactForm(db, brand, input({ files: [small("report.pdf.js", "application/pdf")] }));
    expect(disguised.ok ? null : disguised.errors.files).toContain("report.pdf.js");

    expect(await ticketCount()).toBe(before.tickets);
    expect(storedFiles()).toHaveLength(before.files);
  });

  it("limits submissions per email address with the time to wait, without counting invalid attempts", async () => {
    const email = "flood@example.com";
    for (let i = 0; i < 3; i++) expect((await submitContactForm(db, brand, input({ email, subject: "" }))).ok).toBe(false);
    for (let i = 0; i < 5; i++) expect((await submitContactForm(db, brand, input({ email }))).ok).toBe(true);
    const before = await ticketCount();
    const sixth = await submitContactForm(db, brand, input({ email }));
    expect(sixth.ok ? null : sixth.errors.form).toMatch(/10 minutes/);
    expect(await ticketCount()).toBe(before);
  });

  it("limits submissions per IP address across different emails", async () => {
    const ip = "198.51.100.7";
    for (let i = 0; i < 9; i++) expect((await submitContactForm(db, brand, input({ ip }))).ok).toBe(true);
    const last = await submitContactForm(db, brand, input({ ip }));
    const r = await submitContactForm(db, brand, input({ ip }));
    expect(r.ok).toBe(false);
    const next = await submitContactForm(db, brand, input({ ip: "198.51.100.8" }));
    // A refused post used up no ticket number.
    expect(last.ok && next.ok && next.number - last.number).toBe(1);
  });

  it("works the same through the form's own connections, whose statements are prepared once and then reused", async () => {
    const numbers: number[] = [];
    // More runs than PostgreSQL makes custom plans for before it may settle on a generic one.
    for (let i = 0; i < 8; i++) {
      const pdf = new File([Buffer.from(`%PDF-1.4 ${i}`)], `scan-${i}.pdf`, { type: "application/pdf" });
      const r = await submitContactForm(hotDb(), brand, input({ language: i % 2 ? "tr" : "en", files: i % 3 ? [] : [pdf], fields: { orderNumber: `B-${i}`, terms: "on" } }));
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      numbers.push(r.number);
    }
    const tickets = await db.ticket.findMany({
      where: { number: { in: numbers } },
      orderBy: { number: "asc" },
      select: { number: true, fields: true, messages: { orderBy: { id: "asc" }, select: { kind: true, attachments: { select: { name: true } } } }, emailLogs: { select: { purpose: true, subject: true } } },
    });
    expect(tickets.map((t) => t.number)).toEqual(numbers);
    tickets.forEach((t, i) => {
      expect(t.fields).toEqual({ orderNumber: `B-${i}`, terms: true });
      expect(t.messages.map((m) => m.kind)).toEqual(["CUSTOMER", "AUTO_REPLY"]);
      expect(t.messages[0]!.attachments.map((a) => a.name)).toEqual(i % 3 ? [] : [`scan-${i}.pdf`]);
      expect(t.emailLogs).toEqual([{ purpose: "FORM_CONFIRMATION", subject: expect.stringContaining(`#${t.number}`) }]);
    });
    const email = "prepared@example.com";
    for (let i = 0; i < 5; i++) expect((await submitContactForm(hotDb(), brand, input({ email }))).ok).toBe(true);
    const sixth = await submitContactForm(hotDb(), brand, input({ email }));
    expect(sixth.ok ? null : sixth.errors.form).toMatch(/10 minutes/);
  });

  it("removes stored files again when the ticket cannot be saved", async () => {
    const before = storedFiles().length;
    const broken = { ...brand, id: "no-such-brand" };
    const file = new File(["hello"], "note.txt", { type: "text/plain" });
    await expect(submitContactForm(db, broken, input({ files: [file] }))).rejects.toThrow();
    expect(storedFiles()).toHaveLength(before);
  });
});

describe("FAQ", () => {
  beforeAll(async () => {
    await db.faqArticle.deleteMany({ where: { brandId: brand.id } });
    await db.faqArticle.createMany({
      data: [
        { brandId: brand.id, language: "en", title: "How do I export my data?", body: "Settings → Export.", position: 1 },
        { brandId: brand.id, language: "en", title: "Resetting your password", body: "Use the sign-in page.", position: 0 },
        { brandId: brand.id, language: "en", title: "Draft article", body: "export secrets", published: false },
        { brandId: brand.id, language: "tr", title: "Verilerimi nasıl dışa aktarırım?", body: "Ayarlar → Dışa aktar." },
      ],
    });
  });

  it("lists published articles in order and finds them by words in title or body, case-insensitively", async () => {
    expect((await searchFaq(db, brand.id, "en")).map((a) => a.title)).toEqual(["Resetting your password", "How do I export my data?"]);
    expect((await searchFaq(db, brand.id, "en", "EXPORT")).map((a) => a.title)).toEqual(["How do I export my data?"]);
    expect(await searchFaq(db, brand.id, "en", "secrets")).toEqual([]);
  });

  it("answers in the visitor's language and falls back to English when there is nothing in it", async () => {
    expect((await searchFaq(db, brand.id, "tr")).map((a) => a.title)).toEqual(["Verilerimi nasıl dışa aktarırım?"]);
    expect((await searchFaq(db, brand.id, "tr", "password")).map((a) => a.title)).toEqual(["Resetting your password"]);
  });
});
