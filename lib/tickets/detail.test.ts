import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { updateTicket } from "@/lib/tickets/update";
import { replyToTicket } from "@/lib/tickets/reply";
import { ticketDetail } from "@/lib/tickets/detail";
import { customerEmailTicket } from "@/lib/tickets/test-tickets";

let ben: CurrentUser;
let ayse: CurrentUser;
let acme = "";
let globex = "";

async function asUser(email: string) {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  return (await loadCurrentUser(db, u.id, u.sessionVersion))!;
}

const newTicket = (brandId: string, subject: string, customerEmail: string) => customerEmailTicket(db, { brandId, subject, email: customerEmail, name: "Dana Detail" });

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  globex = (await db.brand.findUniqueOrThrow({ where: { slug: "globex" } })).id;
  ben = await asUser("ben@acme.test");
  ayse = await asUser("ayse@acme.test");
});

describe("the ticket page", () => {
  it("shows the thread, the history without the creation event, and the customer's other tickets and chats in the agent's brands", async () => {
    const email = "dana.detail@example.com";
    const older = await newTicket(acme, "Detail: older question", email);
    const otherBrand = await newTicket(globex, "Detail: other brand", email);
    const t = await newTicket(acme, "Detail: the question", email);
    await replyToTicket(db, ben, { number: t.number, html: "<p>On it</p>", kind: "REPLY" });
    await updateTicket(db, ben, { number: t.number, patch: { priority: "HIGH" } });
    const customer = await db.customer.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const visitor = await db.visitor.create({ data: { brandId: acme }, select: { id: true } });
    const chat = await db.chat.create({ data: { brandId: acme, visitorId: visitor.id, customerId: customer.id, status: "RESOLVED", messageCount: 3 }, select: { id: true } });

    const d = await ticketDetail(db, ayse, t.number);
    expect(d.ticket).toMatchObject({ number: t.number, subject: "Detail: the question", priority: "HIGH", brand: { id: acme }, customer: { id: customer.id, email } });
    expect(d.messages.map((m) => [m.kind, m.text])).toEqual([
      ["CUSTOMER", "Detail: the question"],
      ["REPLY", "On it"],
    ]);
    expect(d.events.map((e) => e.type)).not.toContain("CREATED");
    expect(d.events.some((e) => e.type === "PRIORITY" && e.toValue === "HIGH")).toBe(true);
    // Ayşe works only on Acme: the Globex ticket is not listed, nor the ticket itself.
    expect(d.otherTickets.map((o) => o.number)).toEqual([older.number]);
    expect(d.otherTickets).not.toContainEqual(expect.objectContaining({ number: otherBrand.number }));
    expect(d.chats).toEqual([expect.objectContaining({ id: chat.id, status: "RESOLVED", messageCount: 3 })]);
  });

  it("an unknown number or another brand's ticket is not found, and opening it marks nothing read", async () => {
    const t = await newTicket(globex, "Detail: globex only", "globex.detail@example.com");
    await expect(ticketDetail(db, ayse, 99_999_999)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(ticketDetail(db, ayse, t.number)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.ticketRead.count({ where: { userId: ayse.id, ticketId: t.id } })).toBe(0);
  });
});
