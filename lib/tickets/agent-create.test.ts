import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createAgentTicket } from "@/lib/tickets/agent-create";

let ben: CurrentUser;
let acme = "";

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  const u = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" } });
  ben = (await loadCurrentUser(db, u.id, u.sessionVersion))!;
});

const create = (assigneeId: string | null | undefined, user: CurrentUser = ben) =>
  createAgentTicket(db, user, { brandId: acme, customer: { email: "walkin@example.com", name: "Walk In" }, subject: "Came to the counter", html: "<p>Wants a refund.</p>", sendEmail: false, assigneeId });
const assigneeOf = async (number: number) => (await db.ticket.findUniqueOrThrow({ where: { number }, select: { assigneeId: true } })).assigneeId;

describe("an agent's new ticket (T16)", () => {
  it("stays unassigned when the agent chose “Unassigned”", async () => {
    expect(await assigneeOf((await create(null)).number)).toBeNull();
  });

  it("is the creator's when no assignee was given at all", async () => {
    expect(await assigneeOf((await create(undefined)).number)).toBe(ben.id);
  });

  it("is given to someone else only by a user who may assign", async () => {
    const carla = await db.user.findUniqueOrThrow({ where: { email: "carla@acme.test" }, select: { id: true } });
    const cannotAssign = { ...ben, permissions: ben.permissions.filter((p) => p !== "tickets.assign") };
    const before = await db.ticket.count();
    await expect(create(carla.id, cannotAssign)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.ticket.count()).toBe(before);
    expect(await assigneeOf((await create(ben.id, cannotAssign)).number)).toBe(ben.id); // their own is fine
    expect(await assigneeOf((await create(carla.id)).number)).toBe(carla.id);
  });
});
