import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { searchCustomers } from "@/lib/customers/service";
import { createCallerFactory } from "@/lib/trpc/init";
import { customersRouter } from "@/lib/trpc/routers/customers";

let ben: CurrentUser;
let acme = "";

async function ticketFrom(email: string, name: string, brandId = acme) {
  return db.$transaction((tx) =>
    createTicket(tx, { brandId, channel: "EMAIL", subject: "Hello", customer: { email, name }, message: { kind: "CUSTOMER", html: "<p>Hi</p>", text: "Hi" }, actor: CUSTOMER }),
  );
}

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  const u = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" } });
  ben = (await loadCurrentUser(db, u.id, u.sessionVersion))!;
});

describe("picking an existing customer for a new ticket (T16)", () => {
  it("finds a customer by the start of their name, surname or address, in any case", async () => {
    const c = (await ticketFrom("zeynep.arslan@example.com", "Zeynep Arslan")).customer;
    for (const q of ["zeyn", "ARSL", "zeynep.ars", "Zeynep.Arslan@Example.com"]) expect((await searchCustomers(db, ben, { q, limit: 8 })).map((h) => h.id), q).toContain(c.id);
    expect((await searchCustomers(db, ben, { q: "eynep", limit: 8 })).map((h) => h.id)).not.toContain(c.id);
  });

  it("takes % and _ literally, and returns at most the limit", async () => {
    for (let i = 0; i < 4; i++) await ticketFrom(`limit${i}@example.com`, `Limitli Müşteri ${i}`);
    expect(await searchCustomers(db, ben, { q: "limitli", limit: 3 })).toHaveLength(3);
    expect(await searchCustomers(db, ben, { q: "lim%", limit: 8 })).toEqual([]);
    expect(await searchCustomers(db, ben, { q: "l_mitli", limit: 8 })).toEqual([]);
  });

  it("does not show customers known only to brands the agent cannot see", async () => {
    const globex = (await db.brand.findUniqueOrThrow({ where: { slug: "globex" }, select: { id: true } })).id;
    const acmeOnly = { ...ben, brandIds: [acme] };
    await ticketFrom("hidden.person@example.com", "Gizli Kişi", globex);
    expect((await searchCustomers(db, ben, { q: "gizli", limit: 8 })).map((h) => h.email)).toEqual(["hidden.person@example.com"]);
    expect(await searchCustomers(db, acmeOnly, { q: "gizli", limit: 8 })).toEqual([]);
  });
});

describe("a customer's custom attributes (T15)", () => {
  const caller = () => createCallerFactory(customersRouter)({ db, user: ben, headers: new Headers(), resHeaders: new Headers(), ip: null });
  const stored = async (id: string) => (await db.customer.findUniqueOrThrow({ where: { id }, select: { attributes: true } })).attributes;

  it("are saved as edited, replacing the previous set", async () => {
    const c = (await ticketFrom("attrs@example.com", "Attr Person")).customer;
    await caller().update({ customerId: c.id, attributes: { Plan: "Gold", Şehir: "İzmir" } });
    expect(await stored(c.id)).toEqual({ Plan: "Gold", Şehir: "İzmir" });
    await caller().update({ customerId: c.id, attributes: { Plan: "Silver" } });
    expect(await stored(c.id)).toEqual({ Plan: "Silver" });
    // Saving other details leaves them alone.
    await caller().update({ customerId: c.id, phone: "+90 555 000 00 00" });
    expect(await stored(c.id)).toEqual({ Plan: "Silver" });
  });

  it("refuse a name over 50 characters, a value over 500, or more than 30 of them, and keep what was there", async () => {
    const c = (await ticketFrom("attrs-limits@example.com", "Limit Person")).customer;
    await caller().update({ customerId: c.id, attributes: { Plan: "Gold" } });
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, "v"]));
    for (const attributes of [{ ["x".repeat(51)]: "v" }, { Plan: "x".repeat(501) }, many, { " ": "blank name" }]) {
      await expect(caller().update({ customerId: c.id, attributes })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await stored(c.id)).toEqual({ Plan: "Gold" });
    const thirty = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, "v"]));
    await caller().update({ customerId: c.id, attributes: thirty });
    expect(await stored(c.id)).toEqual(thirty);
  });
});
