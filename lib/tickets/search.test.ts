import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { listTickets } from "@/lib/tickets/list";
import { ticketFilterSchema } from "@/lib/tickets/filters";
import { loadCurrentUser } from "@/lib/auth/current-user";
import { updateCustomer } from "@/lib/customers/service";
import { customerEmailTicket } from "@/lib/tickets/test-tickets";

let acme = "";
let benId = "";
let brandIds: string[] = [];

const newTicket = (subject: string, body: string, email: string, name: string) => customerEmailTicket(db, { brandId: acme, subject, body, email, name });

const found = async (q: string) =>
  (await listTickets(db, { filters: ticketFilterSchema.parse({ q }), userId: benId, brandIds, limit: 50 })).items.map((i) => i.id);

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  const ben = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { id: true } });
  benId = ben.id;
  brandIds = [acme];
});

describe("full-text search folds Turkish capitals as the index does (T3)", () => {
  it("finds “İade talebi İstanbul” by “İstanbul”, “istanbul”, “ISTANBUL” and “İADE”", async () => {
    const t = await newTicket("İade talebi İstanbul", "Ürünü geri göndermek istiyorum", "iade@example.com.tr", "Deniz Kaya");
    for (const q of ["İstanbul", "istanbul", "ISTANBUL", "İADE", "iade talebi"]) expect(await found(q), q).toContain(t.id);
    // A word must still match as a whole prefix, not as the bare "i" a split "İ" left behind.
    expect(await found("İzmir")).not.toContain(t.id);
  });

  it("keeps decomposed input (s + combining cedilla) as one word", async () => {
    const t = await newTicket("Şikayet hakkında", "Kargo gecikti", "sikayet@example.com.tr", "Ali Veli");
    expect(await found("s\u0327ikayet")).toContain(t.id);
  });
});

describe("requester search follows the customer's edits (T3, T15)", () => {
  it("after renaming a customer, the new name and address find their ticket and the old ones do not", async () => {
    const t = await newTicket("Fatura sorusu", "Faturam iki kez kesildi", "eski.adres@example.com", "Mehmet Oldname");
    expect(await found("Oldname")).toContain(t.id);
    const ben = (await loadCurrentUser(db, benId, (await db.user.findUniqueOrThrow({ where: { id: benId }, select: { sessionVersion: true } })).sessionVersion))!;
    await updateCustomer(db, ben, { customerId: t.customer.id, name: "Mehmet Newname", email: "yeni.adres@example.com" });
    expect(await found("Newname")).toContain(t.id);
    expect(await found("yeni.adres")).toContain(t.id);
    expect(await found("Oldname")).not.toContain(t.id);
    expect(await found("eski")).not.toContain(t.id);
    // The message text is still searchable after the rebuild.
    expect(await found("faturam")).toContain(t.id);
  });
});
