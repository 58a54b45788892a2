import pg from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { deploy } from "../../scripts/db-migrate";

const COUNTED = ["user", "role", "group", "groupMember", "brand", "ticket", "message", "ticketEvent", "chat", "chatMessage", "customer", "tag", "cannedResponse", "topic", "ticketType", "businessHours"] as const;

async function counts() {
  const out: Record<string, number> = {};
  for (const m of COUNTED) out[m] = await (db[m] as unknown as { count(): Promise<number> }).count();
  return out;
}

describe("database", () => {
  it("migrations apply to an empty database and keep Prisma's migration table", async () => {
    const base = process.env.TEST_PG_BASE!;
    const name = `empty_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base + "postgres" });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const applied = await deploy(base + name);
      expect(applied.length).toBeGreaterThan(0);
      const c = new pg.Client({ connectionString: base + name });
      await c.connect();
      try {
        const rows = await c.query(`SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`);
        expect(rows.rows.map((r) => r.migration_name)).toEqual([...applied].sort());
        expect(rows.rows.every((r) => r.finished_at)).toBe(true);
        const tables = await c.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
        expect(tables.rows[0].n).toBeGreaterThan(30);
      } finally {
        await c.end();
      }
      // Applying again is a no-op.
      expect(await deploy(base + name)).toEqual([]);
    } finally {
      // Let the migration tools' pools finish closing first: a connection killed by the
      // forced drop while it is ending surfaces as an unhandled error.
      for (let i = 0; i < 50; i++) {
        const open = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
        if (open.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it("the demo seed creates the demo desk once and running it again duplicates nothing", async () => {
    const first = await seedDemo(db);
    expect(first.created).toBe(true);
    const after1 = await counts();
    expect(after1.brand).toBe(2);
    expect(after1.user).toBe(5);
    expect(after1.ticket).toBe(60);
    expect(after1.chat).toBeGreaterThanOrEqual(3);
    const second = await seedDemo(db);
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(after1);
  });

  it("a later run leaves the desk as the admins made it: a renamed brand and a deleted tag stay so", async () => {
    await seedDemo(db);
    await db.brand.update({ where: { slug: "acme" }, data: { slug: "acme-support", name: "Acme Support" } });
    const tag = await db.tag.findFirstOrThrow({ select: { id: true, name: true } });
    await db.$transaction([db.ticketTag.deleteMany({ where: { tagId: tag.id } }), db.chatTag.deleteMany({ where: { tagId: tag.id } }), db.customerTag.deleteMany({ where: { tagId: tag.id } }), db.tag.delete({ where: { id: tag.id } })]);
    const before = await counts();
    expect((await seedDemo(db, { automations: true })).created).toBe(false);
    expect(await counts()).toEqual(before);
    expect(await db.brand.findUnique({ where: { slug: "acme" } })).toBeNull();
    expect(await db.tag.findUnique({ where: { name: tag.name } })).toBeNull();
  });
});
