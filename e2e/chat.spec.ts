import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { alwaysOpen, capturedEmail, signIn, sql, uniqueEmail } from "./helpers";
import { startDovecot, type DovecotServer } from "../lib/test/dovecot";

/**
 * Live chat end to end: a customer on another site (another origin, with the one-line
 * widget tag) and an agent in the desk, each in their own browser context.
 */
let site: http.Server;
let siteUrl = "";
let dovecot: DovecotServer;

test.describe.configure({ mode: "serial" });
let restoreHours: (() => Promise<void>) | undefined;

test.beforeAll(async () => {
  const desk = (process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
  const html = readFileSync(path.join(import.meta.dirname, "fixtures/widget-host.html"), "utf8").replaceAll("__DESK__", desk);
  site = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  // "localhost" and another port: a different origin from the desk at 127.0.0.1.
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  // Nobody else takes the chats of this spec; unseen messages are relayed after 5 s.
  await sql(`UPDATE "User" SET "agentStatus" = 'OFFLINE', "agentSeenAt" = NULL`);
  await sql(`INSERT INTO "Setting" (id, key, value, "updatedAt") VALUES ('e2e-chat-relay', 'chat.relayDelaySeconds', '5', now()) ON CONFLICT (key) DO UPDATE SET value = '5'`);
  // Acme's demo hours close for lunch and at night: the chats here must not depend on when CI runs.
  restoreHours = await alwaysOpen("acme");
});

test.afterAll(async () => {
  site?.close();
  // The worker would keep reconnecting to the stopped test server for the rest of the run.
  await sql(`UPDATE "Mailbox" SET active = false WHERE name = 'Chat replies'`);
  await dovecot?.stop();
  await sql(`DELETE FROM "Setting" WHERE key = 'chat.relayDelaySeconds'`);
  await restoreHours?.();
});

async function customerOnSite(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(siteUrl);
  await page.getByTestId("widget-launcher").click();
  const panel = page.frameLocator("iframe[src*='/widget/acme']");
  return { context, page, panel };
}

async function setStatus(page: Page, status: "Online" | "Break" | "Offline") {
  await page.getByTestId("user-menu").click();
  await page.getByRole("button", { name: status, exact: true }).click();
  await expect(page.getByTestId("agent-status")).toContainText(status);
  await page.getByTestId("user-menu").click();
}

test("chat from another site: queue → agent comes Online → messages with typing and read receipts → resolve needs a topic → archive → convert to ticket", async ({ browser, page: agent }) => {
  await signIn(agent, "ben@acme.test");
  await agent.goto("/chats");
  await setStatus(agent, "Break"); // at the desk, but not taking chats yet

  const customer = await customerOnSite(browser);
  const { panel } = customer;
  const name = `Chloe Chat ${Date.now()}`;
  const email = uniqueEmail("chloe");
  await panel.getByTestId("chat-name").fill(name);
  await panel.getByTestId("chat-email").fill(email);
  await panel.getByTestId("chat-first-message").fill("Hi! Where is my order 1234?");
  await panel.getByTestId("chat-start").click();
  await expect(panel.getByTestId("chat-queue")).toContainText("1");

  // The queue is visible in the desk; the agent goes Online and gets the chat at once.
  await expect(agent.getByTestId("chat-counter-queue")).toContainText("1");
  await setStatus(agent, "Online");
  await expect(panel.getByTestId("chat-agent")).toContainText("Ben Carter");
  const item = agent.getByTestId("chat-list-item").filter({ hasText: name });
  await item.click();
  const conversation = agent.getByTestId("chat-conversation");
  await expect(conversation.getByTestId("chat-message").filter({ hasText: "Where is my order 1234?" })).toBeVisible();

  // Typing both ways, then messages both ways.
  await agent.getByTestId("chat-composer").pressSequentially("Let me look that up", { delay: 30 });
  await expect(panel.getByTestId("chat-typing")).toContainText("Ben");
  await agent.getByTestId("chat-send").click();
  await expect(panel.getByTestId("chat-message").filter({ hasText: "Let me look that up" })).toBeVisible();
  // The customer has the panel open: the agent sees that they read it.
  await expect(conversation.getByTestId("chat-seen")).toBeVisible();

  await panel.getByTestId("chat-input").pressSequentially("<b>bold?</b> thanks", { delay: 30 });
  await expect(conversation.getByTestId("chat-typing")).toBeVisible();
  await panel.getByTestId("chat-send").click();
  // Markup is shown as text, never rendered.
  await expect(conversation.getByTestId("chat-message").filter({ hasText: "<b>bold?</b> thanks" })).toBeVisible();
  await expect(panel.getByTestId("chat-seen")).toBeVisible();
  // The chat's line in the list follows the conversation live.
  await expect(item).toContainText("<b>bold?</b> thanks");

  // Resolving without a topic is refused; with one it works.
  await agent.getByTestId("chat-resolve").click();
  await agent.getByTestId("chat-resolve-confirm").click();
  await expect(agent.getByText("Choose a topic before resolving.")).toBeVisible();
  const topicSelect = agent.getByTestId("chat-resolve-topic");
  const topic = (await topicSelect.locator("option").nth(1).textContent())!;
  await topicSelect.selectOption({ index: 1 });
  await agent.getByTestId("chat-resolve-confirm").click();
  await expect(panel.getByTestId("chat-rating")).toBeVisible();
  await panel.getByTestId("chat-star-5").click();
  await panel.getByTestId("chat-rating-submit").click();
  await expect(panel.getByTestId("chat-thanks")).toBeVisible();

  // The archive finds it by topic.
  await agent.goto("/chats/archive");
  await agent.getByTestId("archive-filter-topic").selectOption({ label: topic });
  const row = agent.getByTestId("archive-row").filter({ hasText: name });
  await expect(row).toContainText("Ben Carter");
  await expect(row).toContainText(topic);
  await row.click();

  // Convert to ticket, then "Go to ticket".
  await agent.getByTestId("chat-convert").click();
  await agent.getByTestId("chat-convert-confirm").click();
  const go = agent.getByTestId("chat-go-to-ticket");
  await expect(go).toBeVisible();
  await go.click();
  await expect(agent).toHaveURL(/\/tickets\/\d+/);
  await expect(agent.getByText("Where is my order 1234?").first()).toBeVisible();
  const [ticket] = await sql<{ channel: string; email: string }>(`SELECT t.channel, c.email FROM "Chat" ch JOIN "Ticket" t ON t.id = ch."ticketId" JOIN "Customer" c ON c.id = t."customerId" WHERE ch."ticketId" IS NOT NULL ORDER BY ch.id DESC LIMIT 1`);
  expect(ticket).toEqual({ channel: "CHAT", email });
  await customer.context.close();
});

test("the customer leaves after an agent message: it is emailed to them a moment later, and their email reply lands in the chat", async ({ browser, page: agent }) => {
  dovecot = await startDovecot({ users: [{ user: "chatdesk", password: "imap-pass-7" }] });
  await signIn(agent, "admin@acme.test");
  const brandId = (await sql<{ id: string }>(`SELECT id FROM "Brand" WHERE slug = 'acme'`))[0]!.id;
  const address = `chat-${Date.now()}@acme.test`;
  const created = await agent.request.post("/api/trpc/mailboxes.create", {
    data: { json: { brandId, name: "Chat replies", color: "#0ea5e9", address, imapHost: "127.0.0.1", imapPort: dovecot.port, imapTls: false, imapUser: "chatdesk", imapPassword: "imap-pass-7", imapFolder: "INBOX", active: true, outbound: { kind: "DEFAULT" } } },
  });
  expect(created.status()).toBe(200);
  await expect.poll(async () => (await sql<{ health: string }>(`SELECT health FROM "Mailbox" WHERE address = $1`, [address]))[0]?.health, { timeout: 30_000 }).toMatch(/IDLE|CONNECTED/);

  await agent.goto("/chats");
  await setStatus(agent, "Online");
  const customer = await customerOnSite(browser);
  const name = `Rafa Relay ${Date.now()}`;
  const email = uniqueEmail("rafa");
  await customer.panel.getByTestId("chat-name").fill(name);
  await customer.panel.getByTestId("chat-email").fill(email);
  await customer.panel.getByTestId("chat-first-message").fill("Can someone call me back?");
  await customer.panel.getByTestId("chat-start").click();
  await expect(customer.panel.getByTestId("chat-agent")).toContainText("Ada Admin");
  // The customer folds the chat away; the agent's answer arrives unseen (a badge on the
  // launcher), and then the customer leaves the page.
  await customer.panel.getByTestId("chat-close").click();
  await agent.getByTestId("chat-list-item").filter({ hasText: name }).click();
  await agent.getByTestId("chat-composer").fill("Sure — which number should we call?");
  await agent.getByTestId("chat-send").click();
  await expect(customer.page.getByTestId("widget-badge")).toHaveText("1");
  await customer.context.close();

  const mail = await capturedEmail(email, "replied to your chat", 30_000);
  expect(mail.text).toContain("Sure — which number should we call?");
  const [sent] = await sql<{ emailMessageId: string; subject: string }>(`SELECT "emailMessageId", subject FROM "EmailLog" WHERE purpose = 'CHAT_RELAY' AND $1 = ANY("to") ORDER BY id DESC LIMIT 1`, [email]);

  // The customer answers from their mail client; the reply arrives in the desk's mailbox.
  await dovecot.append(
    "chatdesk",
    [`From: ${name} <${email}>`, `To: ${address}`, `Subject: Re: ${sent!.subject}`, `Message-ID: <${Date.now()}.rafa@example.com>`, `In-Reply-To: <${sent!.emailMessageId}>`, `References: <${sent!.emailMessageId}>`, "Content-Type: text/plain; charset=utf-8", "", "Please call +90 555 0100.", "", "> Sure — which number should we call?", ""].join("\r\n"),
  );
  await expect(agent.getByTestId("chat-conversation").getByTestId("chat-message").filter({ hasText: "Please call +90 555 0100." })).toBeVisible({ timeout: 30_000 });
  // The quoted history of the email stays out of the chat.
  const [reply] = await sql<{ body: string }>(`SELECT m.body FROM "ChatMessage" m JOIN "Chat" c ON c.id = m."chatId" JOIN "Visitor" v ON v.id = c."visitorId" WHERE v.email = $1 AND m.kind = 'VISITOR' ORDER BY m.id DESC LIMIT 1`, [email]);
  expect(reply!.body).toBe("Please call +90 555 0100.");
  await setStatus(agent, "Offline");
});

test("nobody at the desk: the widget offers the offline form, which creates a ticket", async ({ browser }) => {
  await sql(`UPDATE "User" SET "agentStatus" = 'OFFLINE', "agentSeenAt" = NULL`);
  const customer = await customerOnSite(browser);
  const email = uniqueEmail("olga");
  const form = customer.panel.getByTestId("chat-offline-form");
  await expect(form).toBeVisible();
  await customer.panel.getByTestId("chat-name").fill("Olga Offline");
  await customer.panel.getByTestId("chat-email").fill(email);
  await customer.panel.getByTestId("chat-first-message").fill("Do you ship to Norway?");
  await customer.panel.getByTestId("chat-offline-submit").click();
  await expect(customer.panel.getByTestId("chat-offline-thanks")).toContainText(/#\d+/);
  const [t] = await sql<{ subject: string; channel: string }>(`SELECT t.subject, t.channel FROM "Ticket" t JOIN "Customer" c ON c.id = t."customerId" WHERE c.email = $1`, [email]);
  expect(t).toEqual({ subject: "Offline message from Olga Offline", channel: "CHAT" });
  await customer.context.close();
});
