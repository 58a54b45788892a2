import { expect, test } from "@playwright/test";
import { capturedEmail, linkFrom, navTargets, signIn, uniqueEmail } from "./helpers";

test.describe("sign-in and navigation by role", () => {
  const cases = [
    { email: "admin@acme.test", nav: ["/inbox", "/chats", "/reports", "/admin"] },
    { email: "manager@acme.test", nav: ["/inbox", "/chats", "/reports"] },
    { email: "ben@acme.test", nav: ["/inbox", "/chats"] },
  ];
  for (const c of cases) {
    test(`${c.email} sees exactly their sections`, async ({ page }) => {
      await signIn(page, c.email);
      await expect(page).toHaveURL(/\/inbox$/);
      expect(await navTargets(page)).toEqual(c.nav);
      await expect(page.getByTestId("ticket-row").first()).toBeVisible();
    });
  }

  test("an agent who opens an admin page directly is refused", async ({ page }) => {
    await signIn(page, "ben@acme.test");
    await page.goto("/admin/users");
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await page.goto("/reports");
    await expect(page.getByTestId("forbidden")).toBeVisible();
  });
});

test("a wrong password shows a clear message and does not sign in", async ({ page }) => {
  await page.goto("/signin");
  await page.locator("input[name=email]").fill("admin@acme.test");
  await page.locator("input[name=password]").fill("not-the-password");
  await page.locator("form button[type=submit]").click();
  await expect(page.getByTestId("signin-error")).toHaveText("Wrong email or password. Check both and try again.");
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/signin/);
});

test("admin invites a user, who sets a password from the emailed link and signs in", async ({ page, browser }) => {
  const email = uniqueEmail("invitee");
  await signIn(page, "admin@acme.test");
  await page.goto("/admin/users");
  await page.getByRole("button", { name: "Invite user" }).click();
  const form = page.getByTestId("invite-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Ivy Invitee");
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId(`user-row-${email}`)).toContainText("Invited");

  // Inviting the same address again is refused with a clear message.
  await page.getByRole("button", { name: "Invite user" }).click();
  await form.getByLabel("Email").fill(email.toUpperCase());
  await form.getByLabel("Name").fill("Ivy Again");
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(form.getByText("A user with this email address already exists.")).toBeVisible();

  const mail = await capturedEmail(email, "invited");
  // The admin sees it in the message center too.
  await page.goto("/admin/email-log");
  await expect(page.getByTestId("email-log")).toContainText(email);

  const invitee = await browser.newContext();
  const p2 = await invitee.newPage();
  await p2.goto(linkFrom(mail.text, "/auth/invite"));
  await expect(p2.getByText(`Setting a password for ${email}`)).toBeVisible();
  await p2.getByLabel("New password").fill("ivy-password-1");
  await p2.getByLabel("Repeat the password").fill("ivy-password-1");
  await p2.getByRole("button", { name: "Save password and sign in" }).click();
  await expect(p2.getByTestId("main-nav")).toBeVisible();
  expect(await navTargets(p2)).toEqual(["/inbox", "/chats"]);

  // The link worked once.
  await p2.goto(linkFrom(mail.text, "/auth/invite"));
  await expect(p2.getByTestId("invite-invalid")).toBeVisible();
  await invitee.close();
});

test("magic-link sign-in through the emailed link", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.locator("input[name=email]").fill("carla@acme.test");
  await page.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(page.getByTestId("magic-sent")).toBeVisible();
  const mail = await capturedEmail("carla@acme.test", "sign-in link");
  await page.goto(linkFrom(mail.text, "/auth/magic"));
  await page.getByTestId("magic-continue").click();
  await expect(page.getByTestId("main-nav")).toBeVisible();
  await expect(page.getByTestId("user-menu")).toContainText("Carla Ruiz");
});

test("switching the language to Turkish changes the UI and sticks to the user", async ({ page, browser }) => {
  await signIn(page, "manager@acme.test");
  await expect(page.getByTestId("main-nav")).toContainText("Reports");
  await expect(page.getByTestId("search")).toHaveAttribute("placeholder", "Search subject, messages, requester…");
  await page.getByTestId("user-menu").click();
  await page.getByTestId("language-select").selectOption("tr");
  await expect(page.getByTestId("main-nav")).toContainText("Raporlar");
  await expect(page.getByTestId("main-nav")).toContainText("Gelen kutusu");
  await expect(page.getByTestId("search")).toHaveAttribute("placeholder", "Konu, mesaj, talep sahibi ara…");

  // A fresh browser: the profile's language wins after signing in.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await signIn(p2, "manager@acme.test");
  await expect(p2.getByTestId("main-nav")).toContainText("Gelen kutusu");
  await other.close();

  // Back to English for the other tests.
  await page.getByTestId("user-menu").click();
  await page.getByTestId("language-select").selectOption("en");
  await expect(page.getByTestId("main-nav")).toContainText("Inbox");
});

test("a deactivated user cannot sign in and sees why", async ({ page, browser }) => {
  const admin = await browser.newContext();
  const ap = await admin.newPage();
  await signIn(ap, "admin@acme.test");
  await ap.goto("/admin/users");
  await ap.getByTestId("toggle-active-carla@acme.test").click();
  await expect(ap.getByTestId("user-row-carla@acme.test")).toContainText("Deactivated");

  await page.goto("/signin");
  await page.locator("input[name=email]").fill("carla@acme.test");
  await page.locator("input[name=password]").fill("relaydesk-demo");
  await page.locator("form button[type=submit]").click();
  await expect(page.getByTestId("signin-error")).toContainText("deactivated");

  await ap.getByTestId("toggle-active-carla@acme.test").click();
  await expect(ap.getByTestId("user-row-carla@acme.test")).toContainText("Active");
  await admin.close();
});
