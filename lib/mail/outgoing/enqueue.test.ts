import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { addBlock } from "@/lib/mail/blocklist/service";
import { enqueueEmail, enqueueEmails, type OutgoingEmail } from "@/lib/mail/outgoing/enqueue";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";

const mail = (over: Partial<OutgoingEmail>): OutgoingEmail => ({ to: ["someone@example.com"], subject: "Hello", html: "<p>x</p>", text: "x", purpose: "NOTIFICATION", ...over });
const jobsOf = async (ids: number[]) =>
  (
    await db.$queryRaw<{ id: number }[]>`
      SELECT (j.payload->>'emailLogId')::int AS id FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'send_email' AND (j.payload->>'emailLogId')::int = ANY(${ids}::int[]) ORDER BY j.id`
  ).map((r) => r.id);
const logs = (ids: number[]) => db.emailLog.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, select: { id: true, status: true, to: true, cc: true, subject: true, error: true, events: true, headers: true, messageId: true } });

let acme = "";
beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  await addBlock(db, { pattern: "@robots.example" });
});

describe("enqueueEmails", () => {
  it("records several emails in order, each with its delivery job", async () => {
    const ids = await db.$transaction((tx) => enqueueEmails(tx, [mail({ subject: "one", headers: { "Auto-Submitted": "auto-replied" } }), mail({ subject: "two", cc: ["cc@example.com"] }), mail({ subject: "three" })]));
    expect(ids).toHaveLength(3);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const rows = await logs(ids);
    expect(rows.map((r) => [r.id, r.subject, r.status])).toEqual([[ids[0], "one", "QUEUED"], [ids[1], "two", "QUEUED"], [ids[2], "three", "QUEUED"]]);
    expect(rows[0]!.headers).toEqual({ "Auto-Submitted": "auto-replied" });
    expect(rows[1]!.cc).toEqual(["cc@example.com"]);
    expect(rows[0]!.events).toEqual([{ at: expect.any(String), status: "QUEUED" }]);
    expect(await jobsOf(ids)).toEqual(ids);
    expect(await db.$transaction((tx) => enqueueEmails(tx, []))).toEqual([]);
  });

  it("with a filtered recipient among them, sends each email as enqueueEmail would", async () => {
    const t = await db.$transaction((tx) =>
      createTicket(tx, { brandId: acme, channel: "EMAIL", subject: "Batch", customer: { email: "batch@example.com", name: "B" }, message: { kind: "CUSTOMER", html: null, text: "hi", fromAddress: "batch@example.com" }, actor: CUSTOMER }),
    );
    const ids = await db.$transaction((tx) =>
      enqueueEmails(tx, [mail({ subject: "fine" }), mail({ subject: "partly", cc: ["Bot@Robots.example"] }), mail({ subject: "refused", to: ["bot@robots.example"], messageId: t.messageId })]),
    );
    const [fine, partly, refused] = await logs(ids);
    expect(fine).toMatchObject({ status: "QUEUED", to: ["someone@example.com"], error: null });
    expect(partly).toMatchObject({ status: "QUEUED", to: ["someone@example.com"], cc: [] });
    expect(JSON.stringify(partly!.events)).toContain("Not sent to bot@robots.example: on the outgoing-email filter");
    expect(refused).toMatchObject({ status: "FAILED", to: ["bot@robots.example"], error: "Not sent to bot@robots.example: on the outgoing-email filter" });
    expect((await db.message.findUniqueOrThrow({ where: { id: t.messageId } })).deliveryStatus).toBe("FAILED");
    expect(await jobsOf(ids)).toEqual([fine!.id, partly!.id]);
  });

  it("refuses an email to nobody, and keeps a subject cut inside an emoji", async () => {
    const [nobody, cut] = await db.$transaction((tx) => enqueueEmails(tx, [mail({ to: [], subject: "nobody" }), mail({ subject: "Order \ud83d" })]));
    const rows = await logs([nobody!, cut!]);
    expect(rows[0]).toMatchObject({ status: "FAILED", error: null });
    expect(rows[1]).toMatchObject({ status: "QUEUED", subject: "Order \ufffd" });
    const single = await db.$transaction((tx) => enqueueEmail(tx, mail({ subject: "Cut \ud83d in a batch of one" })));
    expect((await logs([single]))[0]!.subject).toBe("Cut \ufffd in a batch of one");
    expect(await jobsOf([nobody!, cut!, single])).toEqual([cut, single]);
  });
});
