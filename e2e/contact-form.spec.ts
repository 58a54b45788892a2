import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { capturedEmail, signIn, sql, uniqueEmail } from "./helpers";

async function fillForm(page: Page, opts: { email: string; subject: string; message?: string }) {
  await page.locator("input[name=name]").fill("Fiona Form");
  await page.locator("input[name=email]").fill(opts.email);
  await page.locator("input[name=subject]").fill(opts.subject);
  await page.locator("textarea[name=message]").fill(opts.message ?? "The export button does nothing.");
}

test("a customer submits the form with an attachment, gets the number by email, and the agent sees the ticket", async ({ page, browser }) => {
  const email = uniqueEmail("form");
  const subject = `Export broken ${Date.now()}`;
  await page.goto("/c/acme");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Acme");
  await fillForm(page, { email, subject });
  await page.getByTestId("form-files").setInputFiles(path.join(import.meta.dirname, "fixtures/invoice.txt"));
  await page.getByTestId("form-submit").click();
  const thanks = page.getByTestId("form-thanks");
  await expect(thanks).toBeVisible();
  const number = Number(/#(\d+)/.exec((await thanks.textContent()) ?? "")?.[1]);
  expect(number).toBeGreaterThan(0);

  const mail = await capturedEmail(email, `#${number}`);
  expect(mail.text).toContain(String(number));

  const agent = await (await browser.newContext()).newPage();
  await signIn(agent, "admin@acme.test");
  await agent.goto("/inbox");
  await agent.locator(`[data-number="${number}"]`).getByTestId("ticket-link").click();
  await expect(agent.getByTestId("ticket-header")).toContainText(subject);
  await expect(agent.getByTestId("message-customer")).toContainText("The export button does nothing.");
  await expect(agent.getByTestId("attachment-link")).toContainText("invoice.txt");
});

test("the form names a missing field and an oversized file, keeps what was typed, and saves nothing", async ({ page }) => {
  const email = uniqueEmail("form-bad");
  await page.goto("/c/acme");
  await fillForm(page, { email, subject: "" });
  await page.getByTestId("form-files").setInputFiles({ name: "huge.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(20 * 1024 * 1024 + 1) });
  await page.getByTestId("form-submit").click();
  await expect(page.getByTestId("form-error-subject")).toBeVisible();
  await expect(page.getByTestId("form-error-files")).toContainText("huge.pdf");
  await expect(page.getByTestId("form-error-files")).toContainText("20 MB");
  await expect(page.locator("input[name=email]")).toHaveValue(email);
  await expect(page.locator("input[name=subject]")).toHaveAttribute("aria-invalid", "true");
  expect(await sql(`SELECT t.id FROM "Ticket" t JOIN "Customer" c ON c.id = t."customerId" WHERE c.email = $1`, [email])).toHaveLength(0);
});

test("a bot that fills the hidden field is told so and nothing is saved", async ({ page }) => {
  const email = uniqueEmail("form-bot");
  await page.goto("/c/acme");
  await fillForm(page, { email, subject: "Cheap pills" });
  await page.getByTestId("honeypot").fill("http://spam.example", { force: true });
  await page.getByTestId("form-submit").click();
  await expect(page.getByTestId("form-error")).toContainText("automated");
  expect(await sql(`SELECT t.id FROM "Ticket" t JOIN "Customer" c ON c.id = t."customerId" WHERE c.email = $1`, [email])).toHaveLength(0);
});

test("the form works without JavaScript", async ({ browser }) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  const email = uniqueEmail("form-nojs");
  await page.goto("/c/acme");
  await fillForm(page, { email, subject: "" });
  await page.getByTestId("form-submit").click();
  await expect(page.getByTestId("form-error-subject")).toBeVisible();
  await expect(page.locator("input[name=email]")).toHaveValue(email);
  await page.locator("input[name=subject]").fill("Sent without JavaScript");
  await page.getByTestId("form-submit").click();
  await expect(page.getByTestId("form-thanks")).toBeVisible();
  expect(await sql(`SELECT t.id FROM "Ticket" t JOIN "Customer" c ON c.id = t."customerId" WHERE c.email = $1 AND t.channel = 'FORM'`, [email])).toHaveLength(1);
});

test("the FAQ above the form finds an answer, and the form embeds on another site while the desk refuses to", async ({ page }) => {
  const [brand] = await sql<{ id: string }>(`SELECT id FROM "Brand" WHERE slug = 'acme'`);
  await sql(`INSERT INTO "FaqArticle" (id, "brandId", language, title, body, "updatedAt") VALUES ($1, $2, 'en', 'How do I export invoices?', 'Open Billing, then Export.', now()) ON CONFLICT DO NOTHING`, [`faq-e2e-${Date.now()}`, brand!.id]);
  await page.goto("/c/acme");
  await page.getByTestId("faq-search").fill("invoices");
  await page.getByTestId("faq-search").press("Enter");
  await expect(page.getByTestId("faq")).toContainText("How do I export invoices?");

  const base = new URL(page.url()).origin;
  const site: Server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<!doctype html><title>Shop</title><h1>Shop</h1><iframe id="form" src="${base}/c/acme" width="800" height="900"></iframe>`);
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  try {
    await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
    await expect(page.frameLocator("#form").getByTestId("contact-form")).toBeVisible();
    // The desk itself may only be framed by itself (clickjacking).
    const desk = await page.request.get(`${base}/signin`);
    expect(desk.headers()["x-frame-options"]).toBe("SAMEORIGIN");
    expect(desk.headers()["content-security-policy"]).toContain("frame-ancestors 'self'");
  } finally {
    site.close();
  }
});

test("the confirmation says when we are back, only outside business hours", async ({ page }) => {
  const [row] = await sql<{ id: string; schedule: unknown; holidays: unknown }>(`SELECT h.id, h.schedule, h.holidays FROM "BusinessHours" h JOIN "Brand" b ON b."businessHoursId" = h.id WHERE b.slug = 'acme'`);
  const always = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const submit = async (subject: string) => {
    const email = uniqueEmail("hours");
    await page.goto("/c/acme");
    await fillForm(page, { email, subject });
    await page.getByTestId("form-submit").click();
    const thanks = page.getByTestId("form-thanks");
    await expect(thanks).toBeVisible();
    const number = /#(\d+)/.exec((await thanks.textContent()) ?? "")![1]!;
    return capturedEmail(email, `#${number}`);
  };
  try {
    await sql(`UPDATE "BusinessHours" SET schedule = $2, holidays = '[]' WHERE id = $1`, [row!.id, JSON.stringify(always)]);
    expect((await submit("During opening hours")).text).not.toContain("We are closed");
    await sql(`UPDATE "BusinessHours" SET holidays = $2 WHERE id = $1`, [row!.id, JSON.stringify([-1, 0, 1].map((o) => ({ date: day(o), recurring: false })))]);
    const closed = await submit("Outside opening hours");
    expect(closed.text).toContain("We are closed right now and will answer when we are back");
  } finally {
    await sql(`UPDATE "BusinessHours" SET schedule = $2, holidays = $3 WHERE id = $1`, [row!.id, JSON.stringify(row!.schedule), JSON.stringify(row!.holidays)]);
  }
});
