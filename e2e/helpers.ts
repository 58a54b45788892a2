import { expect, type Page } from "@playwright/test";
import pg from "pg";

export const DEMO_PASSWORD = "relaydesk-demo";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/signin");
  await page.locator("input[name=email]").fill(email);
  await page.locator("input[name=password]").fill(password);
  await page.locator("form button[type=submit]").click();
  await expect(page.getByTestId("main-nav")).toBeVisible();
}

/** Nav destinations the signed-in user can see, by link target (language-independent). */
export async function navTargets(page: Page) {
  return page.getByTestId("main-nav").locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
}

/** Reads the captured outgoing email (the default transport stores instead of sending). */
export async function capturedEmail(to: string, subjectPart: string, timeoutMs = 15_000) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = await client.query(
        `SELECT subject, text, status FROM "EmailLog" WHERE direction = 'OUT' AND $1 = ANY("to") AND subject ILIKE $2 ORDER BY id DESC LIMIT 1`,
        [to, `%${subjectPart}%`],
      );
      // Only a delivered (captured) email counts: that proves the worker's job ran.
      if (r.rows[0]?.status === "CAPTURED") return r.rows[0] as { subject: string; text: string; status: string };
      await new Promise((res) => setTimeout(res, 250));
    }
    throw new Error(`No captured email to ${to} with subject containing "${subjectPart}"`);
  } finally {
    await client.end();
  }
}

export function linkFrom(text: string, path: string): string {
  const m = new RegExp(`https?://[^\\s]+${path.replace(/\//g, "\\/")}\\?token=[\\w-]+`).exec(text);
  if (!m) throw new Error(`No ${path} link in: ${text}`);
  const u = new URL(m[0]);
  return u.pathname + u.search;
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Runs SQL against the end-to-end database (for assertions on what the worker did). */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Creates a ticket through the New ticket screen and returns its number. */
export async function createTicketViaUi(page: Page, opts: { email: string; name: string; subject: string; body: string }) {
  await page.goto("/tickets/new");
  await page.getByLabel("Customer email").fill(opts.email);
  await page.getByLabel("Customer name").fill(opts.name);
  await page.getByLabel("Subject").fill(opts.subject);
  await page.getByLabel("Message", { exact: true }).fill(opts.body);
  await page.getByRole("button", { name: "Create ticket" }).click();
  await page.waitForURL(/\/tickets\/\d+$/);
  return Number(new URL(page.url()).pathname.split("/").pop());
}

/**
 * Opens the brand around the clock (and without holidays) until the returned function puts
 * its own hours back: specs that need someone "at the desk" must not depend on the time of day.
 */
export async function alwaysOpen(brandSlug: string): Promise<() => Promise<void>> {
  const [row] = await sql<{ id: string; schedule: unknown; holidays: unknown }>(
    `SELECT h.id, h.schedule, h.holidays FROM "BusinessHours" h JOIN "Brand" b ON b."businessHoursId" = h.id WHERE b.slug = $1`,
    [brandSlug],
  );
  if (!row) return async () => undefined;
  const always = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]));
  await sql(`UPDATE "BusinessHours" SET schedule = $2, holidays = '[]' WHERE id = $1`, [row.id, JSON.stringify(always)]);
  return async () => {
    await sql(`UPDATE "BusinessHours" SET schedule = $2, holidays = $3 WHERE id = $1`, [row.id, JSON.stringify(row.schedule), JSON.stringify(row.holidays)]);
  };
}
