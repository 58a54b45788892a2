import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { navTargets, signIn, sql } from "./helpers";

/**
 * The page itself (the desk's main area): while React reveals a streamed page it briefly keeps a
 * hidden copy at the end of the body, which is not on screen.
 */
const main = (page: Page) => page.getByRole("main");

/** The numbers of a report table on screen, as the raw values behind the formatted cells. */
async function screenTable(page: Page, id: string) {
  return main(page).getByTestId(`table-${id}`).getByTestId("report-row").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.getAttribute("data-value") ?? "")));
}

/** The report has replaced the loading skeleton. */
async function loaded(page: Page, testId: string) {
  await expect(main(page).getByTestId(testId)).toBeVisible();
}

async function downloadCsv(page: Page, id: string) {
  const [download] = await Promise.all([page.waitForEvent("download"), main(page).getByTestId(`csv-${id}`).click()]);
  const text = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  const [header, ...rows] = text.trimEnd().split("\r\n").map((l) => l.split(","));
  return { header: header!, rows };
}

test("a manager sees the ticket dashboard, and a bar drills down to exactly its tickets in the inbox", async ({ page }) => {
  await signIn(page, "manager@acme.test");
  expect(await navTargets(page)).toContain("/reports");
  await page.getByTestId("main-nav").locator('a[href="/reports"]').click();
  await expect(page).toHaveURL(/\/reports\/tickets/);
  await loaded(page, "report-tickets");
  // The seed's tickets were all created within the last 30 days (the default period).
  const created = Number((await screenTable(page, "days")).reduce((n, r) => n + Number(r[1]), 0));
  expect(created).toBeGreaterThan(10);
  await expect(main(page).getByTestId("total-created")).toHaveText(String(created));
  await expect(main(page).getByTestId("chart-days")).toBeVisible();
  await expect(main(page).getByTestId("chart-backlog")).toBeVisible();

  // Drill down from the channel chart's first bar (the biggest channel).
  const [, count] = (await screenTable(page, "by-channel"))[0]!;
  const bar = main(page).getByTestId("chart-by-channel").getByTestId("chart-bar").first();
  const channel = new URL((await bar.getAttribute("href"))!, "http://x").searchParams.get("channel");
  expect(channel).toMatch(/^(EMAIL|FORM|CHAT|AGENT)$/);
  await bar.click();
  await expect(page).toHaveURL(new RegExp(`/inbox\\?.*channel=${channel}`));
  expect(new URL(page.url()).searchParams.get("zone")).toBe("brand");
  await expect(page.getByTestId("filter-bar")).toBeVisible();
  await expect(page.getByTestId("ticket-row")).toHaveCount(Number(count));
});

test("each CSV equals the numbers on screen", async ({ page }) => {
  await signIn(page, "manager@acme.test");
  await page.goto("/reports/tickets?preset=30d");
  await loaded(page, "report-tickets");
  const days = await downloadCsv(page, "days");
  expect(days.header).toEqual(["day", "created", "resolved", "backlog"]);
  expect(days.rows).toEqual(await screenTable(page, "days"));
  const channels = await downloadCsv(page, "by-channel");
  // The file keeps the channel's key beside its name; the counts are the ones on screen.
  expect(channels.rows.map((r) => r[2])).toEqual((await screenTable(page, "by-channel")).map((r) => r[1]));

  await page.goto("/reports/agents?preset=30d");
  await loaded(page, "report-agents");
  const agents = await downloadCsv(page, "agents");
  const screen = await screenTable(page, "agents");
  expect(screen.length).toBeGreaterThan(0);
  // Names on screen and in the file; every number column equal.
  expect(agents.rows.map((r) => r.slice(1))).toEqual(screen.map((r) => r.slice(1)));

  await page.goto("/reports/chats?preset=30d");
  await loaded(page, "report-chats");
  const ratings = await downloadCsv(page, "ratings");
  expect(ratings.rows).toEqual(await screenTable(page, "ratings"));
  expect(ratings.rows.reduce((n, r) => n + Number(r[1]), 0)).toBeGreaterThan(0); // the seed's archived chats are rated

  await page.goto("/reports/sla?preset=30d");
  await loaded(page, "report-sla");
  await page.goto("/reports/definitions");
  await expect(main(page).getByTestId("definitions").locator("dt")).toHaveCount(14);
});

test("the chat cockpit updates when a chat enters the queue, without reloading", async ({ page }) => {
  await signIn(page, "manager@acme.test");
  await page.goto("/reports/cockpit");
  const queue = main(page).getByTestId("cockpit-queue");
  await expect(queue).toBeVisible();
  const before = Number(await queue.textContent());

  // A visitor starts a chat through the widget's API while nobody is Online: it queues.
  await sql(`UPDATE "User" SET "agentStatus" = 'OFFLINE'`);
  const call = async (proc: string, input: unknown) => ((await (await page.request.post(`/api/trpc/${proc}`, { data: { json: input } })).json()) as { result: { data: { json: Record<string, unknown> } } }).result.data.json;
  const { token } = (await call("widget.session", { brand: "acme" })) as { token: string };
  const chat = (await call("widget.start", { token, name: "Cockpit visitor", message: "Is anyone there?" })) as { id: number };
  await expect(queue).toHaveText(String(before + 1));
  await expect(main(page).getByTestId("cockpit-longest-wait")).not.toHaveText("—");
  await call("widget.end", { token, chatId: chat.id });
  await expect(queue).toHaveText(String(before));
});

test("the cockpit shows an agent's new status as they change it in another browser", async ({ page, browser }) => {
  await signIn(page, "manager@acme.test");
  await page.goto("/reports/cockpit");
  const carla = main(page).getByTestId("cockpit-agent").filter({ hasText: "Carla Ruiz" });
  await expect(carla).toBeVisible();

  const other = await browser.newContext();
  const agent = await other.newPage();
  await signIn(agent, "carla@acme.test");
  await agent.getByTestId("user-menu").click();
  await agent.getByRole("button", { name: "Break" }).click();
  await expect(agent.getByTestId("agent-status")).toContainText("Break");
  await expect(carla).toContainText("Break");
  await agent.getByRole("button", { name: "Offline" }).click();
  await expect(carla).toContainText("Offline");
  await other.close();
});

test("an agent without reports.view can neither open reports nor call their procedures or export", async ({ page }) => {
  await signIn(page, "ayse@acme.test");
  // Her profile is in Turkish: the page reloads once in her language after signing in.
  await expect(page.getByTestId("main-nav")).toContainText("Gelen kutusu");
  expect(await navTargets(page)).not.toContain("/reports");
  const res = await page.goto("/reports/tickets");
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId("report-tickets")).toHaveCount(0);
  const api = await page.request.get(`/api/trpc/reports.tickets?input=${encodeURIComponent(JSON.stringify({ json: { filters: { preset: "30d" } } }))}`);
  expect(api.status()).toBe(403);
  const csv = await page.request.get("/api/reports/csv?report=tickets&table=days");
  expect(csv.status()).toBe(403);
  expect(await csv.text()).toContain("reports.view");
});
