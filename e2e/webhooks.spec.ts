import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect } from "@playwright/test";
import { signIn } from "./helpers";

test("admin adds a webhook, sees its secret once, sends a test and sees it delivered", async ({ page }) => {
  const got: { signature: string; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ signature: String(req.headers["relaydesk-signature"] ?? ""), body });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await signIn(page, "admin@acme.test");
    await page.goto("/admin/webhooks");
    await page.getByTestId("webhook-add").click();
    await page.getByLabel("Receiving URL").fill("ftp://example.com");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Enter an http:// or https:// address.")).toBeVisible();
    await page.getByLabel("Receiving URL").fill(url);
    await page.getByRole("button", { name: "Save" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done" }).click();

    const row = page.getByTestId("webhook-row").filter({ hasText: url });
    await row.getByTestId("webhook-test").click();
    await expect(row.getByTestId("webhook-deliveries")).toContainText("Delivered");
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body).event).toBe("ping");
    expect(got[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  } finally {
    receiver.close();
  }
});
