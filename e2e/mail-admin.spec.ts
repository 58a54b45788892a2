import { expect, test } from "@playwright/test";
import { capturedEmail, createTicketViaUi, signIn, sql, uniqueEmail } from "./helpers";
import { startDovecot, type DovecotServer } from "../lib/test/dovecot";

let dovecot: DovecotServer;

test.beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ user: "helpdesk", password: "imap-pass-9" }] });
});
test.afterAll(async () => {
  await dovecot?.stop();
});

test("admin adds a mailbox on a real IMAP server, sees the exact failure, then a working connection; the password is stored encrypted", async ({ page }) => {
  const address = `help-${Date.now()}@acme.test`;
  await signIn(page, "admin@acme.test");
  await page.goto("/admin/mailboxes");
  await page.getByTestId("add-mailbox").click();
  const form = page.getByTestId("mailbox-editor");
  await form.getByLabel("Name", { exact: true }).fill("Helpdesk");
  await form.getByLabel("Email address").fill(address);
  await form.getByLabel("Server", { exact: true }).fill("127.0.0.1");
  await form.getByLabel("Port", { exact: true }).fill(String(dovecot.port));
  await form.getByTestId("imap-tls").uncheck();
  await form.getByLabel("User name", { exact: true }).fill("helpdesk");
  await form.getByLabel("Password", { exact: true }).fill("wrong-password");

  await form.getByTestId("test-imap").click();
  await expect(form.getByTestId("imap-test-result")).toContainText("Login failed: The server rejected the user name or password");

  await form.getByLabel("Server", { exact: true }).fill("imap.no-such-host.invalid");
  await form.getByTestId("test-imap").click();
  await expect(form.getByTestId("imap-test-result")).toContainText("DNS failed: DNS lookup failed for imap.no-such-host.invalid");

  await form.getByLabel("Server", { exact: true }).fill("127.0.0.1");
  await form.getByLabel("Password", { exact: true }).fill("imap-pass-9");
  await form.getByTestId("test-imap").click();
  await expect(form.getByTestId("imap-test-result")).toContainText("Connected.");

  await form.getByTestId("save-mailbox").click();
  await expect(form).toBeHidden();
  const row = page.getByTestId("mailbox-row").filter({ hasText: address });
  await expect(row).toContainText("Helpdesk");
  await expect(row.getByTestId("forwarding-address")).toHaveText(address.replace("@", "+forward@"));
  await expect(row).toContainText("Platform default");

  const stored = await sql<{ imapPasswordEnc: string }>(`SELECT "imapPasswordEnc" FROM "Mailbox" WHERE address = $1`, [address]);
  expect(stored[0]!.imapPasswordEnc).not.toContain("imap-pass-9");
  expect(stored[0]!.imapPasswordEnc).toMatch(/^v1\./);

  // Editing shows that a password is set without revealing it; testing uses the stored one.
  await row.getByRole("button", { name: /Edit/ }).click();
  await expect(form.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(form.getByLabel("Password", { exact: true })).toHaveAttribute("placeholder", /set/);
  await form.getByTestId("test-imap").click();
  await expect(form.getByTestId("imap-test-result")).toContainText("Connected.");
  await page.keyboard.press("Escape");

  // The mailbox appears on the outgoing-email filter automatically.
  await page.goto("/admin/email-filter");
  await expect(page.getByTestId("blocklist-automatic")).toContainText(address);

  // The ingest worker picks the mailbox up: its health shows in the list, and mail arriving
  // there is logged in the message center with the ticket it created.
  const subject = `Lost parcel ${Date.now()}`;
  await dovecot.append("helpdesk", [`From: Mia Mail <mia-${Date.now()}@example.com>`, `To: ${address}`, `Subject: ${subject}`, `Message-ID: <${Date.now()}.mia@example.com>`, "Date: Sun, 22 Nov 2026 10:00:00 +0000", "Content-Type: text/plain; charset=utf-8", "", "My parcel never arrived.", ""].join("\r\n"));
  await expect.poll(async () => (await sql<{ health: string }>(`SELECT health FROM "Mailbox" WHERE address = $1`, [address]))[0]?.health, { timeout: 30_000 }).toMatch(/IDLE|CONNECTED/);
  await page.goto("/admin/mailboxes");
  await expect(row.getByTestId("mailbox-health")).toContainText(/Idle|Connected/);
  await page.goto("/admin/email-log");
  await page.getByRole("tab", { name: "Incoming" }).click();
  await page.getByRole("searchbox").fill(subject);
  const incoming = page.getByTestId("email-log-row").filter({ hasText: subject });
  await expect(incoming).toContainText("Helpdesk", { timeout: 20_000 });
  await expect(incoming.getByTestId("email-action")).toContainText(/created #\d+/);

  // The server goes away: the worker reports the error, and once it has lasted longer than
  // the alert setting (backdated here rather than waiting 15 minutes) the desk shows a banner.
  await dovecot.down();
  await expect.poll(async () => (await sql<{ health: string }>(`SELECT health FROM "Mailbox" WHERE address = $1`, [address]))[0]?.health, { timeout: 30_000 }).toBe("ERROR");
  await sql(`UPDATE "Mailbox" SET "errorSince" = now() - interval '2 hours' WHERE address = $1`, [address]);
  await page.goto("/inbox");
  await expect(page.getByTestId("mailbox-alert")).toContainText(address);
  await page.goto("/admin/mailboxes");
  await expect(page.getByTestId("mailbox-row").filter({ hasText: address }).getByTestId("mailbox-health")).toContainText("Error");
  await sql(`DELETE FROM "Mailbox" WHERE address = $1`, [address]);
  await page.goto("/inbox");
  await expect(page.getByTestId("mailbox-alert")).toHaveCount(0);
});

test("admin edits a template per language and sees it in the preview, then resets it", async ({ page }) => {
  await signIn(page, "admin@acme.test");
  await page.goto("/admin/templates");
  await page.getByRole("button", { name: "Auto-reply to new requests" }).click();
  await page.getByTestId("template-lang-tr").click();
  await expect(page.getByTestId("template-subject")).toHaveValue(/Talebinizi aldık/);
  await page.getByTestId("template-subject").fill("Aldık: {{ticket.subject}}");
  await page.getByTestId("template-body").fill("Sayın {{customer.name}},\n\n#{{ticket.number}} numaralı talebiniz elimizde.");
  await page.getByTestId("template-preview").click();
  await expect(page.getByTestId("preview-subject")).toHaveText("Aldık: Sipariş hasarlı geldi");
  const frame = page.frameLocator("[data-testid=preview-frame]");
  await expect(frame.locator("body")).toContainText("Sayın Pat Customer,");
  await expect(frame.locator("body")).toContainText("#1042 numaralı talebiniz elimizde.");

  // A placeholder the template does not offer is refused with the list of valid ones.
  await page.getByTestId("template-body").fill("{{agent.password}}");
  await page.getByTestId("template-save").click();
  await expect(page.getByTestId("error-template-body")).toContainText("Unknown placeholder {{agent.password}}");

  await page.getByTestId("template-body").fill("Sayın {{customer.name}},\n\nTalebiniz elimizde.");
  await page.getByTestId("template-save").click();
  await expect(page.getByText("Customised")).toBeVisible();
  await page.reload();
  await page.getByRole("button", { name: "Auto-reply to new requests" }).click();
  await page.getByTestId("template-lang-tr").click();
  await expect(page.getByTestId("template-body")).toHaveValue("Sayın {{customer.name}},\n\nTalebiniz elimizde.");
  // English is untouched.
  await page.getByTestId("template-lang-en").click();
  await expect(page.getByTestId("template-subject")).toHaveValue(/We received your request/);

  await page.getByTestId("template-lang-tr").click();
  await page.getByTestId("template-reset").click();
  await expect(page.getByTestId("template-subject")).toHaveValue(/Talebinizi aldık/);
  await expect(page.getByTestId("template-reset")).toBeDisabled();
});

test("an agent forwards a ticket: recipients are required, the forward is on the timeline and the email goes out", async ({ page }) => {
  const customer = uniqueEmail("fwd");
  const colleague = uniqueEmail("colleague");
  await signIn(page, "ben@acme.test");
  const number = await createTicketViaUi(page, { email: customer, name: "Fiona Forward", subject: "Warranty question", body: "Is the blender covered?" });

  await page.getByTestId("forward-ticket").click();
  const form = page.getByTestId("forward-form");
  await expect(form.getByTestId("forward-subject")).toHaveValue("Fwd: Warranty question");
  await form.getByTestId("forward-send").click();
  await expect(form.getByTestId("forward-to-error")).toHaveText("Add at least one recipient.");

  await form.getByTestId("cc-input").fill("not an address");
  await form.getByTestId("cc-input").press("Enter");
  await expect(form.getByTestId("cc-error")).toBeVisible();
  await form.getByTestId("cc-input").fill(colleague);
  await form.getByTestId("cc-input").press("Enter");
  await expect(form.getByTestId("cc-chip")).toHaveText(colleague);
  await form.getByTestId("forward-note").fill("Please check the warranty terms.");
  await form.getByTestId("forward-send").click();
  await expect(form).toBeHidden();

  const fwd = page.getByTestId("message-forward");
  await expect(fwd).toContainText("Please check the warranty terms.");
  await expect(fwd).toContainText(colleague);
  const mail = await capturedEmail(colleague, "Fwd: Warranty question");
  expect(mail.text).toContain("Please check the warranty terms.");
  expect(mail.text).toContain("Is the blender covered?");
  expect(mail.text).toContain(`#${number}`);
});

test("a domain on the outgoing-email filter is never mailed: the reply shows the delivery failure and why", async ({ page }) => {
  const domain = `robots-${Date.now()}.example`;
  await signIn(page, "admin@acme.test");
  await page.goto("/admin/email-filter");
  await page.getByLabel("Address or domain").fill("no spaces allowed");
  await page.getByTestId("add-block").click();
  await expect(page.getByText("Enter an address (name@example.com) or a domain (@example.com).")).toBeVisible();
  await page.getByLabel("Address or domain").fill(`@${domain}`);
  await page.getByLabel("Reason (optional)").fill("Monitoring robots");
  await page.getByTestId("add-block").click();
  await expect(page.getByTestId("blocklist-manual")).toContainText(`@${domain}`);

  await createTicketViaUi(page, { email: `alerts@${domain}`, name: "Uptime Robot", subject: "Site down", body: "Check failed." });
  // The customer's language flag in the header is editable and saved on the customer.
  await page.getByTestId("customer-language").locator("select").selectOption("tr");
  await expect.poll(async () => (await sql<{ language: string | null }>(`SELECT language FROM "Customer" WHERE email = $1`, [`alerts@${domain}`]))[0]?.language).toBe("tr");

  const editor = page.getByTestId("composer-editor");
  await editor.click();
  await editor.pressSequentially("We are on it.");
  await page.getByTestId("send-open").click();
  const reply = page.getByTestId("message-reply").last();
  await expect(reply.getByTestId("delivery-failed")).toBeVisible();
  await expect(reply.getByTestId("delivery-error")).toContainText(`Not sent to alerts@${domain}: on the outgoing-email filter`);

  // The message center lists the refusal.
  await page.goto("/admin/email-log");
  await page.getByRole("searchbox").fill(`alerts@${domain}`);
  const row = page.getByTestId("email-log-row").first();
  await expect(row).toContainText("FAILED");
  await expect(row.getByTestId("email-log-error")).toContainText("outgoing-email filter");
});
