import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { capturedEmail, createTicketViaUi, signIn, sql, uniqueEmail } from "./helpers";

const rows = (page: Page) => page.getByTestId("ticket-row");

test("filter and search, then bulk-resolve everything matching", async ({ page }) => {
  await signIn(page, "admin@acme.test");
  const word = `walrus${Date.now()}`;
  const numbers: number[] = [];
  for (let i = 0; i < 3; i++) numbers.push(await createTicketViaUi(page, { email: uniqueEmail("bulk"), name: `Bulk ${i}`, subject: `The ${word} problem ${i}`, body: "It happens every morning." }));

  await page.goto("/inbox");
  await page.getByTestId("search").fill(word);
  await page.getByTestId("search").press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${word}`));
  await expect(rows(page)).toHaveCount(3);
  await page.getByTestId("filter-status").selectOption("OPEN");
  await expect(page).toHaveURL(/status=OPEN/);
  await expect(rows(page)).toHaveCount(3);

  // The filtered inbox is a URL: reloading it shows the same tickets.
  await page.reload();
  await expect(rows(page)).toHaveCount(3);

  await page.getByLabel("Select all on this page").check();
  await expect(page.getByTestId("bulk-count")).toHaveText("3 selected");
  await page.getByTestId("bulk-status").selectOption("RESOLVED");
  await expect(page.getByText("3 tickets updated.")).toBeVisible();
  await expect(page.getByTestId("empty-state")).toBeVisible(); // none is Open any more
  const resolved = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Ticket" WHERE number = ANY($1) AND status = 'RESOLVED'`, [numbers]);
  expect(resolved[0]!.n).toBe(3);
});

test("an invalid filter in the URL shows a clear message and the rest still applies", async ({ page }) => {
  await signIn(page, "ben@acme.test");
  await page.goto("/inbox?status=SOMEDAY&priority=HIGH");
  await expect(page.getByTestId("filter-error")).toContainText("status=SOMEDAY");
  await expect(rows(page).first()).toBeVisible();
  for (const p of await rows(page).locator("text=/Lowest|Low|Medium|Highest/").all()) await expect(p).toHaveCount(0);
});

test("reply with an attachment and a canned response, Send & mark Pending, and the email goes out", async ({ page }) => {
  const customer = uniqueEmail("reply");
  await signIn(page, "ben@acme.test");
  const number = await createTicketViaUi(page, { email: customer, name: "Rita Reply", subject: "Where is my parcel?", body: "It has been a week." });

  const editor = page.getByTestId("composer-editor");
  await editor.click();
  await editor.pressSequentially("/than");
  await expect(page.getByTestId("canned-suggestions")).toContainText("/thanks");
  await editor.press("Enter");
  await expect(editor).toContainText("Hi Rita Reply,");
  await expect(editor).toContainText("Ben Carter");
  await page.getByTestId("file-input").setInputFiles(path.join(import.meta.dirname, "fixtures/invoice.txt"));
  await expect(page.getByTestId("composer-files")).toContainText("invoice.txt");
  await page.getByTestId("send-pending").click();

  const reply = page.getByTestId("message-reply").last();
  await expect(reply).toContainText("Thanks for contacting us!");
  await expect(reply.getByTestId("attachment-link")).toContainText("invoice.txt");
  await expect(page.getByTestId("ticket-status")).toHaveValue("PENDING");
  await expect(page.getByTestId("timeline")).toContainText("changed the status from Open to Pending");

  // The attachment downloads through the permission-checked route.
  const href = await reply.getByTestId("attachment-link").getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain("Quarterly invoice");

  const mail = await capturedEmail(customer, `[#${number}]`);
  expect(mail.subject).toBe(`Re: Where is my parcel? [#${number}]`);
  expect(mail.text).toContain("Thanks for contacting us!");
});

test("an internal note shows as a note and is never emailed", async ({ page }) => {
  const customer = uniqueEmail("note");
  await signIn(page, "ben@acme.test");
  const number = await createTicketViaUi(page, { email: customer, name: "Nora Note", subject: "Private matter", body: "Hello" });
  await page.getByTestId("kind-note").click();
  await page.getByTestId("composer-editor").click();
  await page.getByTestId("composer-editor").pressSequentially("Checked with finance, waiting.");
  await page.getByTestId("send").click();
  await expect(page.getByTestId("message-note")).toContainText("Checked with finance, waiting.");
  await page.waitForTimeout(1500); // give the worker a moment: nothing must arrive
  const mails = await sql(`SELECT e.id FROM "EmailLog" e JOIN "Ticket" t ON t.id = e."ticketId" WHERE t.number = $1`, [number]);
  expect(mails).toHaveLength(0);
});

test("assigning to a group emails every member", async ({ page }) => {
  await signIn(page, "admin@acme.test");
  const number = await createTicketViaUi(page, { email: uniqueEmail("group"), name: "Gus Group", subject: "Invoice question for billing", body: "Please help" });
  await page.getByTestId("ticket-group").selectOption({ label: "Billing" });
  await expect(page.getByTestId("timeline")).toContainText("set the group to Billing");
  const members = await sql<{ email: string }>(`SELECT u.email FROM "User" u JOIN "GroupMember" m ON m."userId" = u.id JOIN "Group" g ON g.id = m."groupId" WHERE g.name = 'Billing' AND u.active`);
  expect(members.length).toBeGreaterThan(1);
  for (const m of members) await capturedEmail(m.email, `[#${number}]`);
});

test("trash, restore, trash again and purge forever", async ({ page }) => {
  await signIn(page, "admin@acme.test");
  const number = await createTicketViaUi(page, { email: uniqueEmail("trash"), name: "Tom Trash", subject: "Delete me", body: "x" });
  await page.getByTestId("trash-ticket").click();
  await expect(page.getByTestId("ticket-header")).toContainText("In trash");
  await page.getByTestId("restore-ticket").click();
  await expect(page.getByTestId("trash-ticket")).toBeVisible();
  await page.getByTestId("trash-ticket").click();
  await expect(page.getByTestId("ticket-header")).toContainText("In trash");
  await page.goto("/inbox?folder=trash");
  await expect(page.locator(`[data-number="${number}"]`)).toBeVisible();
  await page.goto(`/tickets/${number}`);
  await page.getByTestId("purge-ticket").click();
  await page.getByTestId("confirm-purge").click();
  await page.waitForURL(/folder=trash/);
  await expect(page.locator(`[data-number="${number}"]`)).toHaveCount(0);
  expect(await sql(`SELECT id FROM "Ticket" WHERE number = $1`, [number])).toHaveLength(0);
});

test("merge two tickets of the same customer", async ({ page }) => {
  const customer = uniqueEmail("merge");
  await signIn(page, "admin@acme.test");
  const a = await createTicketViaUi(page, { email: customer, name: "Max Merge", subject: "First report", body: "Screen flickers" });
  const b = await createTicketViaUi(page, { email: customer, name: "Max Merge", subject: "Second report", body: "Still flickering" });
  await page.getByTestId("merge-ticket").click();
  await page.getByTestId("merge-target").fill(String(a));
  await page.getByTestId("confirm-merge").click();
  await page.waitForURL(new RegExp(`/tickets/${a}$`));
  await expect(page.getByTestId("timeline")).toContainText("Screen flickers");
  await expect(page.getByTestId("timeline")).toContainText("Still flickering");
  await expect(page.getByTestId("timeline")).toContainText(`merged #${b} into this ticket`);
  await page.goto(`/tickets/${b}`);
  await expect(page.getByTestId("merged-banner")).toContainText(`#${a}`);
});

test("keyboard: j/k move through the list, x selects, ? shows help, Enter opens", async ({ page }) => {
  await signIn(page, "ben@acme.test");
  await page.goto("/inbox");
  await expect(rows(page).first()).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("ticket-list")).toHaveAttribute("data-keyboard", "ready");
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(rows(page).nth(2)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("k");
  await expect(rows(page).nth(1)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("x");
  await expect(rows(page).nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("bulk-count")).toHaveText("1 selected");
  await page.keyboard.press("x");
  await expect(page.getByTestId("bulk-bar")).toHaveCount(0);
  await page.keyboard.press("?");
  await expect(page.getByTestId("shortcut-help")).toBeVisible();
  await page.keyboard.press("Escape");
  const number = await rows(page).nth(1).getAttribute("data-number");
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`/tickets/${number}$`));
});

test("the composer refuses a 6th file and a file over 20 MB, and a draft survives a reload", async ({ page }) => {
  await signIn(page, "ben@acme.test");
  const number = await createTicketViaUi(page, { email: uniqueEmail("draft"), name: "Dana Draft", subject: "Draft test", body: "x" });
  await page.getByTestId("file-input").setInputFiles({ name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(21 * 1024 * 1024) });
  await expect(page.getByText("“huge.bin” is larger than 20 MB.")).toBeVisible();
  const six = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, mimeType: "text/plain", buffer: Buffer.from("x") }));
  await page.getByTestId("file-input").setInputFiles(six);
  await expect(page.getByText("At most 5 attachments per message.")).toBeVisible();

  await page.getByTestId("composer-editor").click();
  await page.getByTestId("composer-editor").pressSequentially("Half-written answer");
  await page.reload();
  await expect(page.getByTestId("composer-editor")).toContainText("Half-written answer");
  expect(number).toBeGreaterThan(0);
});

test("save the current filters as a personal view and come back to it", async ({ page }) => {
  await signIn(page, "carla@acme.test");
  await page.goto("/inbox?priority=HIGHEST&status=OPEN");
  page.once("dialog", (d) => d.accept("Hot and open"));
  await page.getByTestId("save-view").click();
  await expect(page.getByTestId("saved-view").filter({ hasText: "Hot and open" })).toBeVisible();
  await page.goto("/inbox");
  await page.getByTestId("saved-view").filter({ hasText: "Hot and open" }).click();
  await expect(page).toHaveURL(/priority=HIGHEST/);
  await expect(page).toHaveURL(/status=OPEN/);
});
