import { readdirSync, readFileSync } from "node:fs";
import { test, expect, type Browser, type Page } from "@playwright/test";
import { createTicketViaUi, signIn, sql, uniqueEmail } from "./helpers";

// Two agents in separate browser contexts (separate sessions and sockets); nothing
// here reloads a page after it is open — every change must arrive live.

async function agent(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

const live = (page: Page) => expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });

/** The realtime server `npm test` runs for this suite (found by the port it serves). */
function realtimePid(): number {
  const port = process.env.PUSHER_PORT;
  if (!port) throw new Error("PUSHER_PORT is not set: run the end-to-end suite through npm test");
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmd.includes("workers/realtime.ts")) continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`PUSHER_PORT=${port}`)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no realtime server on port ${port}`);
}

test("a ticket created by another agent and one from the contact form appear in an open inbox", async ({ browser }) => {
  const a = await agent(browser, "admin@acme.test");
  await a.goto("/inbox");
  await live(a);

  const b = await agent(browser, "manager@acme.test");
  const number = await createTicketViaUi(b, { email: uniqueEmail("live"), name: "Liv Live", subject: `Live ticket ${Date.now()}`, body: "Hi" });
  await expect(a.locator(`[data-number="${number}"]`)).toBeVisible();

  const customer = await (await browser.newContext()).newPage();
  await customer.goto("/c/acme");
  const subject = `Form live ${Date.now()}`;
  await customer.locator("input[name=name]").fill("Fiona Form");
  await customer.locator("input[name=email]").fill(uniqueEmail("form-live"));
  await customer.locator("input[name=subject]").fill(subject);
  await customer.locator("textarea[name=message]").fill("The app crashes when I export.");
  await customer.getByTestId("form-submit").click();
  await expect(customer.getByTestId("form-thanks")).toBeVisible();
  const [row] = await sql<{ number: number }>(`SELECT number FROM "Ticket" WHERE subject = $1`, [subject]);
  await expect(a.locator(`[data-number="${row!.number}"]`)).toContainText(subject);
});

test("two agents on one ticket see each other, see typing, and are warned about a reply sent meanwhile", async ({ browser }) => {
  const a = await agent(browser, "admin@acme.test");
  const number = await createTicketViaUi(a, { email: uniqueEmail("presence"), name: "Pat Presence", subject: "Two agents, one ticket", body: "Hello?" });
  await live(a);
  const b = await agent(browser, "manager@acme.test");
  await b.goto(`/tickets/${number}`);
  await live(b);

  await expect(a.getByTestId("presence-viewing")).toContainText("Mina Manager");
  await expect(b.getByTestId("presence-viewing")).toContainText("Ada Admin");

  await a.getByTestId("composer-editor").click();
  await a.getByTestId("composer-editor").pressSequentially("We are looking");
  await expect(b.getByTestId("presence-typing")).toContainText("Ada Admin");

  await b.getByTestId("composer-editor").click();
  await b.getByTestId("composer-editor").pressSequentially("Fixed it for you.");
  await b.getByTestId("send-pending").click();
  await expect(b.getByTestId("message-reply")).toContainText("Fixed it for you.");

  // A's half-written reply is not sent over B's without A seeing B's reply first.
  await expect(a.getByTestId("message-reply")).toContainText("Fixed it for you.");
  await expect(a.getByTestId("replied-meanwhile")).toContainText("Mina Manager");
  await expect(a.getByTestId("send-pending")).toBeDisabled();

  await b.close();
  await expect(a.getByTestId("presence-viewing")).toHaveCount(0);
});

test("after the realtime server is killed and restarted, open pages show what changed while it was down", async ({ browser }) => {
  const a = await agent(browser, "admin@acme.test");
  const number = await createTicketViaUi(a, { email: uniqueEmail("outage"), name: "Otto Outage", subject: "Outage ticket", body: "First" });
  await a.goto("/inbox");
  await live(a);
  const b = await agent(browser, "manager@acme.test");
  await b.goto(`/tickets/${number}`);
  await live(b);

  process.kill(realtimePid(), "SIGKILL");
  await expect(a.getByTestId("live-indicator")).not.toHaveAttribute("data-state", "connected");
  await expect(b.getByTestId("live-indicator")).not.toHaveAttribute("data-state", "connected");

  // Changes while nobody can be told: a new ticket and a note on B's ticket.
  const other = await a.context().newPage();
  const created = await createTicketViaUi(other, { email: uniqueEmail("outage2"), name: "Olga Outage", subject: `Made during the outage ${Date.now()}`, body: "x" });
  await other.goto(`/tickets/${number}`);
  await other.getByTestId("kind-note").click();
  await other.getByTestId("composer-editor").click();
  await other.getByTestId("composer-editor").pressSequentially("Noted during the outage");
  await other.getByTestId("send").click();
  await expect(other.getByTestId("message-note")).toContainText("Noted during the outage");
  await other.close();

  // The supervisor restarts the server; both pages reconnect and catch up on their own.
  await live(a);
  await live(b);
  await expect(a.locator(`[data-number="${created}"]`)).toBeVisible();
  await expect(b.getByTestId("message-note")).toContainText("Noted during the outage");
});
