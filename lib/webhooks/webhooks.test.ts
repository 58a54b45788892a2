import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { run, type Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedDemo } from "@/lib/seed/demo";
import { createWebhook, listDeliveries, sendTestWebhook, updateWebhook } from "@/lib/webhooks/service";
import { verifyWebhookSignature } from "@/lib/webhooks/signature";
import { taskList } from "@/workers/tasks";
import { customerEmailTicket } from "@/lib/tickets/test-tickets";

type Received = { headers: http.IncomingHttpHeaders; body: string; json: { id: number; event: string; data: Record<string, unknown> } };

/** A real HTTP receiver; `plan` answers each request in turn (then 200). */
function receiver() {
  const got: Received[] = [];
  let plan: number[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      got.push({ headers: req.headers, body, json: JSON.parse(body) as Received["json"] });
      res.statusCode = plan.shift() ?? 200;
      res.end();
    });
  });
  return {
    got,
    answer: (...codes: number[]) => (plan = codes),
    listen: () => new Promise<string>((r) => server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const rx = receiver();
let url = "";
let runner: Runner;
let acme = "";

async function until<T>(f: () => Promise<T | undefined | null | false>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const newTicket = (subject: string) => customerEmailTicket(db, { brandId: acme, subject, email: "hook@example.com", name: "Hook Customer", body: "Hi" });

const delivery = (id: number) => db.webhookDelivery.findUniqueOrThrow({ where: { id }, select: { status: true, attempts: true, responseCode: true, error: true } });
const jobsFor = async (deliveryId: number) =>
  (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`webhook:${deliveryId}`}`)[0]!.n;

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  url = await rx.listen();
  // The real job runner, as the worker process runs it.
  runner = await run({ connectionString: env.DATABASE_URL, taskList: taskList(db), concurrency: 2, pollInterval: 100, noHandleSignals: true, logger: undefined });
});

afterAll(async () => {
  await runner?.stop();
  await rx.close();
});

describe("webhooks", () => {
  it("stores the signing secret encrypted and delivers a signed ticket.created a receiver can verify", async () => {
    const { id, secret } = await createWebhook(db, { url, events: ["ticket.created"] });
    const stored = await db.webhook.findUniqueOrThrow({ where: { id }, select: { secretEnc: true } });
    expect(stored.secretEnc).not.toContain(secret);

    const t = await newTicket("Webhook please");
    const r = await until(async () => rx.got.find((g) => g.json.event === "ticket.created" && (g.json.data.ticket as { number: number }).number === t.number), "the delivery");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers["relaydesk-event"]).toBe("ticket.created");
    expect(verifyWebhookSignature(secret, r.headers["relaydesk-signature"] as string, r.body)).toBe(true);
    expect(verifyWebhookSignature("whsec_wrong", r.headers["relaydesk-signature"] as string, r.body)).toBe(false);
    expect(verifyWebhookSignature(secret, r.headers["relaydesk-signature"] as string, r.body.replace("Webhook please", "Webhook pleasf"))).toBe(false);
    expect(r.json.data).toMatchObject({ ticket: { subject: "Webhook please", status: "OPEN", customer: { email: "hook@example.com" } } });

    // Subscribed to ticket.created only: the ticket's first message was not sent to it.
    expect(rx.got.filter((g) => g.json.event === "message.created")).toHaveLength(0);
    const d = await until(async () => (await delivery(r.json.id)).status === "SUCCEEDED" && delivery(r.json.id), "SUCCEEDED");
    expect(d).toMatchObject({ attempts: 1, responseCode: 200, error: null });
    await updateWebhook(db, { id, active: false });
  });

  it("retries a receiver that answers 500 with the same event until it accepts it", async () => {
    const { id } = await createWebhook(db, { url, events: ["message.created"] });
    rx.answer(500);
    const before = rx.got.length;
    const t = await newTicket("Retry me");
    const [first] = await until(async () => rx.got.slice(before).filter((g) => g.json.event === "message.created").length >= 1 && rx.got.slice(before), "first attempt");
    const id1 = first!.json.id;
    // The receiver has answered; the worker records the attempt just after.
    await until(async () => (await delivery(id1)).attempts === 1, "the first attempt recorded");
    expect(await delivery(id1)).toMatchObject({ status: "PENDING", attempts: 1, responseCode: 500, error: "HTTP 500" });
    expect(await jobsFor(id1)).toBe(1);

    const d = await until(async () => (await delivery(id1)).status === "SUCCEEDED" && delivery(id1), "the retry", 20_000);
    expect(d).toMatchObject({ attempts: 2, responseCode: 200, error: null });
    const both = rx.got.filter((g) => g.json.id === id1);
    expect(both).toHaveLength(2);
    expect(both[1]!.json).toEqual(both[0]!.json);
    expect((both[0]!.json.data.ticket as { number: number }).number).toBe(t.number);
    await updateWebhook(db, { id, active: false });
  });

  it("gives up at once on a receiver that refuses with 410, and logs why", async () => {
    const { id } = await createWebhook(db, { url, events: ["ticket.created"] });
    rx.answer(410);
    await newTicket("Gone receiver");
    const rows = await until(async () => {
      const ds = await listDeliveries(db, { id });
      return ds[0]?.status === "FAILED" && ds;
    }, "FAILED");
    expect(rows[0]).toMatchObject({ event: "ticket.created", attempts: 1, responseCode: 410, error: "HTTP 410" });
    expect(await jobsFor(rows[0]!.id)).toBe(0);
    await updateWebhook(db, { id, active: false });
  });

  it("sends a test ping on request, and nothing to a disabled webhook", async () => {
    const { id, secret } = await createWebhook(db, { url, events: ["ticket.created"], active: false });
    await newTicket("Nobody listens");
    expect(await db.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);

    await updateWebhook(db, { id, active: true });
    const { deliveryId } = await sendTestWebhook(db, { id });
    const ping = await until(async () => rx.got.find((g) => g.json.id === deliveryId), "the ping");
    expect(ping.json.event).toBe("ping");
    expect(verifyWebhookSignature(secret, ping.headers["relaydesk-signature"] as string, ping.body)).toBe(true);
  });

  it("refuses a signature whose timestamp is outside the window (replay)", () => {
    const body = '{"id":1}';
    const old = Math.floor(Date.now() / 1000) - 3600;
    const header = `t=${old},v1=${createHmac("sha256", "s").update(`${old}.${body}`).digest("hex")}`;
    expect(verifyWebhookSignature("s", header, body)).toBe(false);
    expect(verifyWebhookSignature("s", header, body, 300, old * 1000)).toBe(true);
  });
});
