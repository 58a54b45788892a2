import { test, expect, type Browser, type Page } from "@playwright/test";
import { signIn } from "./helpers";

// One agent in two tabs (separate contexts, separate sockets). The menu in the first tab is
// never reloaded: a status set elsewhere (another tab, or the presence sweep, which goes the
// same way) must reach it live, with its time in status counted afresh.

async function tab(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await page.goto("/inbox");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  return page;
}

async function setStatus(page: Page, status: "Online" | "Break" | "Offline") {
  await page.getByTestId("user-menu").click();
  await page.getByRole("button", { name: status, exact: true }).click();
  await expect(page.getByTestId("agent-status")).toContainText(status);
  await page.getByTestId("user-menu").click();
}

test("the user menu follows a status set in another tab, and restarts its time in status", async ({ browser }) => {
  const a = await tab(browser, "manager@acme.test");
  const b = await tab(browser, "manager@acme.test");
  // A status heard live counts from when it changed, not from what the page was rendered with.
  await setStatus(b, "Offline");
  await expect(a.getByTestId("agent-status")).toContainText("Offline");
  await setStatus(b, "Break");
  await expect(a.getByTestId("agent-status")).toContainText(/Break · 0m \d+s/);
  await setStatus(b, "Offline");
  await expect(a.getByTestId("agent-status")).toContainText(/Offline · 0m \d+s/);
});
