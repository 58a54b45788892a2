import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { appRouter } from "@/lib/trpc/root";
import { seedDemo } from "@/lib/seed/demo";
import { BUILT_IN_ROLES, type BuiltInRole } from "@/lib/auth/permissions";
import { callTrpc, sessionCookie, startTrpcServer } from "@/lib/test/http";

type ProcDef = { type: "query" | "mutation" | "subscription"; meta?: { permission?: string; public?: true } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcDef }>).map(([path, p]) => ({ path, ...p._def }));

// Procedures that only touch the caller's own profile need a session but no permission.
const SELF_SERVICE = new Set(["me.get", "me.brands", "me.update", "me.setAgentStatus"]);

const ROLE_USERS: Record<BuiltInRole, string> = { ADMIN: "admin@acme.test", MANAGER: "manager@acme.test", AGENT: "ayse@acme.test" };

let server: Awaited<ReturnType<typeof startTrpcServer>>;
const cookies: Partial<Record<BuiltInRole, string>> = {};

beforeAll(async () => {
  await seedDemo(db);
  server = await startTrpcServer();
  for (const [role, email] of Object.entries(ROLE_USERS) as [BuiltInRole, string][]) {
    const u = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, sessionVersion: true } });
    cookies[role] = await sessionCookie(u);
  }
});
afterAll(() => server?.close());

describe("every procedure is guarded", () => {
  it("is public by declaration, self-service, or checks a permission", () => {
    const unguarded = procedures.filter((p) => !p.meta?.public && !p.meta?.permission && !SELF_SERVICE.has(p.path)).map((p) => p.path);
    expect(unguarded).toEqual([]);
    expect(procedures.filter((p) => p.meta?.permission).length).toBeGreaterThan(15);
  });

  for (const role of Object.keys(ROLE_USERS) as BuiltInRole[]) {
    it(`refuses ${role} every procedure whose permission the role lacks, over HTTP`, async () => {
      const granted = new Set<string>(BUILT_IN_ROLES[role].permissions);
      const checked = procedures.filter((p) => p.meta?.permission && p.type !== "subscription");
      let refused = 0;
      for (const p of checked) {
        const res = await callTrpc(server.url, p.path, p.type as "query" | "mutation", {}, cookies[role]);
        const code = res.body.error?.json.data.code;
        if (granted.has(p.meta!.permission!)) {
          expect(code, `${role} should pass the permission check on ${p.path}`).not.toBe("FORBIDDEN");
        } else {
          expect(code, `${role} must be refused ${p.path}`).toBe("FORBIDDEN");
          expect(res.status).toBe(403);
          refused++;
        }
      }
      if (role !== "ADMIN") expect(refused).toBeGreaterThan(0);
    });
  }

  it("refuses every non-public procedure without a session", async () => {
    for (const p of procedures.filter((p) => !p.meta?.public && p.type !== "subscription")) {
      const res = await callTrpc(server.url, p.path, p.type as "query" | "mutation", {});
      expect(res.body.error?.json.data.code, p.path).toBe("UNAUTHORIZED");
    }
  });
});

describe("sessions", () => {
  it("a deactivated user is refused on the next request", async () => {
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
    const target = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" } });
    const benCookie = await sessionCookie(target);
    expect((await callTrpc(server.url, "me.get", "query", undefined, benCookie)).status).toBe(200);

    const res = await callTrpc(server.url, "users.setActive", "mutation", { userId: target.id, active: false }, await sessionCookie(admin));
    expect(res.status).toBe(200);

    const after = await callTrpc(server.url, "me.get", "query", undefined, benCookie);
    expect(after.body.error?.json.data.code).toBe("UNAUTHORIZED");
    const tickets = await callTrpc(server.url, "tickets.list", "query", {}, benCookie);
    expect(tickets.body.error?.json.data.code).toBe("UNAUTHORIZED");
  });

  it("a custom role made by an admin grants exactly its permissions, over HTTP", async () => {
    const created = await callTrpc(server.url, "roles.create", "mutation", { name: "Report reader", permissions: ["reports.view", "tickets.view"] }, cookies.ADMIN);
    expect(created.status).toBe(200);
    const roleId = (created.body.result!.data.json as { id: string }).id;
    const ben = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { id: true } });
    expect((await callTrpc(server.url, "users.update", "mutation", { userId: ben.id, roleId }, cookies.ADMIN)).status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { id: ben.id }, select: { id: true, sessionVersion: true, active: true } });
    if (!user.active) await db.user.update({ where: { id: user.id }, data: { active: true } }); // an earlier test deactivates him
    const cookie = await sessionCookie(user);
    const granted = new Set(["reports.view", "tickets.view"]);
    let passed = 0;
    for (const p of procedures.filter((p) => p.meta?.permission && p.type !== "subscription")) {
      const code = (await callTrpc(server.url, p.path, p.type as "query" | "mutation", {}, cookie)).body.error?.json.data.code;
      if (granted.has(p.meta!.permission!)) {
        expect(code, p.path).not.toBe("FORBIDDEN");
        passed++;
      } else expect(code, p.path).toBe("FORBIDDEN");
    }
    expect(passed).toBeGreaterThan(3);
  });

  it("a role change takes effect on the next request", async () => {
    const carla = await db.user.findUniqueOrThrow({ where: { email: "carla@acme.test" } });
    const cookie = await sessionCookie(carla);
    expect((await callTrpc(server.url, "users.list", "query", undefined, cookie)).body.error?.json.data.code).toBe("FORBIDDEN");
    const adminRole = await db.role.findUniqueOrThrow({ where: { builtIn: "ADMIN" } });
    await db.user.update({ where: { id: carla.id }, data: { roleId: adminRole.id } });
    expect((await callTrpc(server.url, "users.list", "query", undefined, cookie)).status).toBe(200);
  });
});

describe("bad input", () => {
  it("answers BAD_REQUEST with a message per field", async () => {
    const res = await callTrpc(server.url, "users.invite", "mutation", { email: "not-an-email", name: "", roleId: "x" }, cookies.ADMIN);
    expect(res.status).toBe(400);
    expect(res.body.error?.json.data.code).toBe("BAD_REQUEST");
    expect(res.body.error?.json.data.fieldErrors).toMatchObject({ email: "Enter a valid email address.", name: "Enter a name." });
  });

  it("an agent only ever lists tickets of brands they can access", async () => {
    const globex = await db.brand.findUniqueOrThrow({ where: { slug: "globex" } });
    // Ayşe is only in the Support group (Acme): asking for Globex returns nothing.
    const res = await callTrpc(server.url, "tickets.list", "query", { filters: { brandId: globex.id } }, cookies.AGENT);
    const data = res.body.result!.data.json as { items: unknown[] };
    expect(await db.ticket.count({ where: { brandId: globex.id } })).toBeGreaterThan(0);
    expect(data.items).toEqual([]);
  });
});
