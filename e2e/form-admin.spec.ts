import { test, expect } from "@playwright/test";
import { signIn, uniqueEmail, sql } from "./helpers";

// The form is shared by every spec: a failure here must not leave a required field behind for them.
test.afterEach(async () => {
  await sql(`DELETE FROM "FormField" WHERE key = 'orderNumber' AND "brandId" = (SELECT id FROM "Brand" WHERE slug = 'acme')`);
});

test("admin adds a required custom field and an FAQ article; the public form shows both and enforces the field", async ({ page, browser }) => {
  await signIn(page, "admin@acme.test");
  await page.goto("/admin/contact-form");
  await page.getByRole("button", { name: "Add field" }).click();
  await page.getByLabel("Label").last().fill("Order number");
  await expect(page.getByLabel("Key").last()).toHaveValue("orderNumber");
  await page.getByLabel("Required").last().check();
  await page.getByTestId("save-fields").click();
  await expect(page.getByText("Form saved")).toBeVisible();

  await page.getByRole("button", { name: "Add article" }).click();
  const title = `Where is my parcel? ${Date.now()}`;
  await page.getByLabel("Question").fill(title);
  await page.getByLabel("Answer").fill("Track it from the link in your shipping email.");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("faq-admin")).toContainText(title);

  const customer = await (await browser.newContext()).newPage();
  await customer.goto("/c/acme");
  await expect(customer.getByTestId("faq")).toContainText(title);
  const email = uniqueEmail("field");
  await customer.locator("input[name=name]").fill("Olive Order");
  await customer.locator("input[name=email]").fill(email);
  await customer.locator("input[name=subject]").fill("Missing parcel");
  await customer.locator("textarea[name=message]").fill("It never arrived.");
  await customer.getByTestId("form-submit").click();
  await expect(customer.getByTestId("form-error-field_orderNumber")).toBeVisible();
  await customer.getByLabel("Order number (required)").fill("A-7781");
  await customer.getByTestId("form-submit").click();
  await expect(customer.getByTestId("form-thanks")).toBeVisible();
  const [t] = await sql<{ fields: Record<string, string> }>(`SELECT t.fields FROM "Ticket" t JOIN "Customer" c ON c.id = t."customerId" WHERE c.email = $1`, [email]);
  expect(t!.fields.orderNumber).toBe("A-7781");

  await page.getByRole("button", { name: "Remove Order number" }).click();
  await page.getByTestId("save-fields").click();
  await expect(page.getByText("No custom fields")).toBeVisible();
});

test("admin sets split-shift business hours with a holiday, and an overlapping shift is refused with the reason", async ({ page }) => {
  await signIn(page, "admin@acme.test");
  await page.goto("/admin/business-hours");
  await page.getByRole("button", { name: "New business hours" }).click();
  const dialog = page.getByRole("dialog");
  const name = `Support desk ${Date.now()}`;
  await dialog.getByRole("textbox", { name: "Name" }).first().fill(name);
  await dialog.getByLabel("Monday until").fill("12:00");
  await dialog.getByTestId("day-mon").getByRole("button", { name: "Add hours" }).click();
  await dialog.getByLabel("Monday from").nth(1).fill("11:00");
  await dialog.getByRole("button", { name: "Add holiday" }).click();
  await dialog.getByLabel("Date").fill("2026-12-25");
  await dialog.getByRole("textbox", { name: "Name" }).nth(1).fill("Christmas");
  await dialog.getByLabel("Every year").check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByTestId("day-mon")).toContainText("overlap");

  await dialog.getByLabel("Monday from").nth(1).fill("13:00");
  await dialog.getByRole("button", { name: "Save" }).click();
  const row = page.getByTestId("hours-row").filter({ hasText: name });
  await expect(row).toContainText("Mon 09:00–12:00, 13:00–18:00");
  await expect(row).toContainText("1 holiday");
});
