import { test, expect } from "@playwright/test";
import { createTicketViaUi, signIn, uniqueEmail } from "./helpers";

test("admin builds a rule in the editor, previews it, and it acts on the next ticket from the contact form", async ({ page, browser }) => {
  await signIn(page, "admin@acme.test");
  const word = `refund${Date.now() % 100000}`;
  const earlier = await createTicketViaUi(page, { email: uniqueEmail("rule-old"), name: "Old Case", subject: `Need a ${word} for my order`, body: "x" });

  await page.goto("/admin/rules");
  await expect(page.getByTestId("rule-row").filter({ hasText: "Auto-reply to new email" })).toBeVisible();
  await page.getByRole("button", { name: "New rule" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`Refunds ${word}`);
  await dialog.getByRole("button", { name: "Add condition" }).click();
  await dialog.getByTestId("rule-condition").getByLabel("Field").selectOption("subject");
  await dialog.getByTestId("rule-condition").getByLabel("Operator").selectOption("contains");
  await dialog.getByTestId("rule-condition").getByLabel("Value").fill(word);
  // The first action (set priority) stays; set it to Highest and add a tag.
  await dialog.getByTestId("rule-action").first().getByLabel("Value").selectOption("HIGHEST");
  await dialog.getByRole("button", { name: "Add action" }).click();
  await dialog.getByLabel("Tags").fill("refund");

  await dialog.getByTestId("rule-preview").click();
  await expect(dialog.getByTestId("rule-preview-result")).toContainText("1 ticket");
  await expect(dialog.getByTestId("rule-preview-result")).toContainText(`#${earlier}`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("rule-row").filter({ hasText: `Refunds ${word}` })).toBeVisible();

  const customer = await (await browser.newContext()).newPage();
  await customer.goto("/c/acme");
  await customer.locator("input[name=name]").fill("Rhea Refund");
  await customer.locator("input[name=email]").fill(uniqueEmail("rule-new"));
  await customer.locator("input[name=subject]").fill(`Please ${word} me`);
  await customer.locator("textarea[name=message]").fill("The item arrived broken.");
  await customer.getByTestId("form-submit").click();
  const thanks = customer.getByTestId("form-thanks");
  await expect(thanks).toBeVisible();
  const number = Number(/#(\d+)/.exec((await thanks.textContent()) ?? "")?.[1]);

  await page.goto(`/tickets/${number}`);
  await expect(page.getByTestId("ticket-priority")).toHaveValue("HIGHEST");
  await expect(page.getByTestId("ticket-header")).toContainText("refund");
  await expect(page.getByTestId("history-event").filter({ hasText: `Refunds ${word}` }).first()).toBeVisible();
});
