import { test, expect } from "@playwright/test";
import { createTicketViaUi, signIn, sql, uniqueEmail } from "./helpers";

test("admin adds an SLA policy; a new ticket shows its due time, and an overdue one is flagged and found by the inbox filter", async ({ page }) => {
  await signIn(page, "admin@acme.test");
  await page.goto("/admin/sla");
  await expect(page.getByTestId("sla-row").first()).toBeVisible(); // the demo's policies
  await page.getByRole("button", { name: "New SLA policy" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Low priority");
  await dialog.getByLabel("Priority").selectOption("LOWEST");
  await dialog.getByLabel("First response").fill("");
  await dialog.getByLabel("Resolution").fill("");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Set a first-response or a resolution target.")).toBeVisible();
  await dialog.getByLabel("First response").fill("600");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("sla-row").filter({ hasText: "Low priority" })).toContainText("First response 10 h");

  const number = await createTicketViaUi(page, { email: uniqueEmail("sla"), name: "Sue SLA", subject: "Needs an answer", body: "Hello" });
  const badge = page.getByTestId("ticket-header").getByTestId("sla-badge");
  await expect(badge).toContainText("First response");
  await expect(badge).toHaveAttribute("data-state", "ok");

  // Two days later nobody has answered: the next change recomputes the clock from the creation time.
  await sql(`UPDATE "Ticket" SET "createdAt" = now() - interval '3 days' WHERE number = $1`, [number]);
  await page.getByTestId("ticket-priority").selectOption("HIGH");
  await expect(badge).toHaveAttribute("data-state", "breached");
  await expect(badge).toContainText("overdue");

  await page.goto("/inbox?sla=breached");
  await expect(page.locator(`[data-number="${number}"]`)).toBeVisible();
  await expect(page.locator(`[data-number="${number}"]`).getByTestId("sla-badge")).toHaveAttribute("data-state", "breached");
  await expect(page.getByTestId("filter-sla")).toHaveValue("breached");
  await page.goto("/inbox?sla=at_risk");
  await page.waitForLoadState("networkidle");
  await expect(page.getByTestId("filter-sla")).toHaveValue("at_risk");
  await expect(page.locator(`[data-number="${number}"]`)).toHaveCount(0);
});
