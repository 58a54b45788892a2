/**
 * npm run bench reports — server time of every dashboard's queries for a 90-day range
 * through the real tRPC handler, and the full-year CSV of ticket rows through the real
 * route handler (rows/s), on the bench:seed data set; then what the report rollup triggers add to
 * ticket writes (scripts/bench/report-writes.ts).
 */
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import superjson from "superjson";
import { row } from "./stats";

export async function benchReports(opts: { requests: number }) {
  const { handleTrpc } = await import("@/lib/trpc/handler");
  const { GET: csv } = await import("@/app/api/reports/csv/route");
  const { db } = await import("@/lib/db");
  const manager = await db.user.findUniqueOrThrow({ where: { email: "manager@acme.test" } });
  const cookie = `next-auth.session-token=${await encode({ token: { sub: manager.id, sv: manager.sessionVersion }, secret: process.env.NEXTAUTH_SECRET! })}`;

  const call = async (path: string, input: unknown) => {
    const payload = JSON.stringify(superjson.serialize(input));
    const t = performance.now();
    const res = await handleTrpc(new Request(`http://bench/api/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers: { cookie } }));
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${body.slice(0, 300)}`);
    return ms;
  };
  const time = async (label: string, path: string, input: unknown, n = opts.requests) => {
    for (let i = 0; i < 3; i++) await call(path, input); // warm up
    const ms: number[] = [];
    for (let i = 0; i < n; i++) ms.push(await call(path, input));
    console.log(row(label, ms));
  };

  // Business seconds of the report spans are filled in by the first report that needs them (after a
  // bulk load, a new migration or a business-hours change): done here, outside the timings, and the
  // tables vacuumed as after any bulk load (autovacuum's job on a live desk).
  {
    const { fillBusinessSeconds } = await import("@/lib/reports/business-fill");
    const { resolveScope } = await import("@/lib/reports/scope");
    const { reportFilterSchema } = await import("@/lib/reports/filters");
    const brandIds = (await db.brand.findMany({ select: { id: true } })).map((b) => b.id);
    const t = performance.now();
    await fillBusinessSeconds(db, await resolveScope(db, { filters: reportFilterSchema.parse({ preset: "90d" }), brandIds }));
    for (const table of ["ReportSpan", "ReportSpanPending", "ReportSlaLive"]) await db.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
    console.log(`report spans' business seconds filled in and tables vacuumed: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  const [tickets, chats, brand, group] = await Promise.all([db.ticket.count(), db.chat.count(), db.brand.findFirstOrThrow({ where: { slug: "acme" } }), db.group.findFirstOrThrow()]);
  console.log(`Reports benchmark on ${tickets.toLocaleString()} tickets and ${chats.toLocaleString()} chats, ${opts.requests} requests each (server time through the tRPC handler):`);
  const ninety = { filters: { preset: "90d" } };
  for (const r of ["tickets", "agents", "chats", "sla"] as const) await time(`${r}: 90 days, all brands`, `reports.${r}`, ninety);
  for (const r of ["tickets", "agents", "chats", "sla"] as const) await time(`${r}: 90 days, one brand + group`, `reports.${r}`, { filters: { preset: "90d", brandId: brand.id, groupId: group.id } });
  await time("cockpit (live state)", "reports.cockpit", {});

  // Full-year CSV of ticket rows, streamed through the route handler.
  for (let run = 0; run < 2; run++) {
    const t = performance.now();
    const res = await csv(new Request("http://bench/api/reports/csv?report=tickets&table=rows&preset=year", { headers: { cookie } }));
    if (res.status !== 200 || !res.body) throw new Error(`CSV → ${res.status}: ${await res.text()}`);
    let rows = 0;
    let bytes = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) rows++;
    }
    const s = (performance.now() - t) / 1000;
    console.log(`full-year CSV of ticket rows (run ${run + 1})          ${(rows - 1).toLocaleString()} rows, ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s = ${Math.round((rows - 1) / s).toLocaleString()} rows/s`);
  }
  await db.$disconnect();
  // What keeping the rollups costs the writes (a throwaway database on the same server).
  const { benchRollupWrites } = await import("./report-writes");
  await benchRollupWrites(process.env.DATABASE_URL!);
}
