import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BusinessCalendar } from "@/lib/sla/business-hours";
import { BusinessClock } from "@/lib/reports/durations";
import { resolveScope, type ReportScope } from "@/lib/reports/scope";
import { reportFilterSchema } from "@/lib/reports/filters";

/**
 * Business seconds of the report spans (ReportSpan, migration report_spans). The triggers store
 * each span's start and end; its business seconds need the brand's calendar, which lives in
 * TypeScript (lib/sla/business-hours.ts), so the triggers queue new and changed spans in
 * ReportSpanPending and this fills them in before a report reads them. A brand whose calendar
 * changed since its spans were computed (ReportBusinessClock.fingerprint) is recomputed whole,
 * so every figure always follows the brand's current business hours, as the definitions say.
 *
 * The computation is lib/reports/durations.ts BusinessClock in SQL: the open periods of the window
 * with the business milliseconds before each, searched with width_bucket (the same binary search).
 */
function fingerprint(cal: BusinessCalendar | null): string {
  return cal ? createHash("sha256").update(JSON.stringify(cal.hours)).digest("hex") : "";
}

/** Business seconds of the span (s."fromMs", s."toMs") by the clock, passed as array constants. */
function businessSeconds(c: BusinessClock): Prisma.Sql {
  const S = Prisma.sql`${c.starts}::float8[]`;
  const E = Prisma.sql`${c.ends}::float8[]`;
  const B = Prisma.sql`${c.before}::float8[]`;
  const at = (x: Prisma.Sql) => {
    const i = Prisma.sql`width_bucket(${x}, ${S})`;
    return Prisma.sql`CASE WHEN ${i} = 0 THEN 0 ELSE (${B})[${i}] + least(${x}, (${E})[${i}]) - (${S})[${i}] END`;
  };
  return Prisma.sql`greatest(0, (${at(Prisma.sql`s."toMs"`)}) - (${at(Prisma.sql`s."fromMs"`)})) / 1000`;
}

type Bounds = { brandId: string; from: number | null; to: number | null };

/** Fills in the business seconds of the scope's brands' spans; cheap when nothing is pending. */
export async function fillBusinessSeconds(db: Db, s: ReportScope): Promise<void> {
  if (!s.brandIds.length) return;
  const [stored, pending] = await Promise.all([
    db.reportBusinessClock.findMany({ where: { brandId: { in: s.brandIds } } }),
    db.$queryRaw<Bounds[]>`
      SELECT s."brandId", min(s."fromMs") AS "from", max(s."toMs") AS "to" FROM "ReportSpanPending" p JOIN "ReportSpan" s ON s."ticketId" = p."ticketId" AND s.kind = p.kind
      WHERE s."brandId" IN (${Prisma.join(s.brandIds)}) GROUP BY 1`,
  ]);
  const have = new Map(stored.map((x) => [x.brandId, x.fingerprint]));
  for (const brandId of s.brandIds) {
    const cal = s.calendars.get(brandId) ?? null;
    const want = fingerprint(cal);
    if (have.get(brandId) !== want) await recompute(db, brandId, cal, want);
    else {
      const p = pending.find((x) => x.brandId === brandId);
      if (p) await fillPending(db, brandId, cal, p);
    }
  }
}

/** The brand's calendar changed (or was never used): every span of it, in one transaction. */
async function recompute(db: Db, brandId: string, cal: BusinessCalendar | null, want: string) {
  await db.$transaction(
    async (tx) => {
      // The worker's minute job and a report being read may both find the brand stale: one recomputes, the other then finds it done.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('report-business'), hashtext(${brandId}))`;
      const done = await tx.reportBusinessClock.findUnique({ where: { brandId }, select: { fingerprint: true } });
      if (done?.fingerprint === want) return;
      const [b] = await tx.$queryRaw<Bounds[]>`SELECT ${brandId} AS "brandId", min("fromMs") AS "from", max("toMs") AS "to" FROM "ReportSpan" WHERE "brandId" = ${brandId}`;
      if (cal && b?.from != null && b.to != null && b.to > b.from) {
        await tx.$executeRaw`UPDATE "ReportSpan" s SET business = ${businessSeconds(new BusinessClock(cal, b.from, b.to))} WHERE s."brandId" = ${brandId}`;
      } else await tx.$executeRaw`UPDATE "ReportSpan" s SET business = NULL WHERE s."brandId" = ${brandId} AND s.business IS NOT NULL`;
      await tx.$executeRaw`DELETE FROM "ReportSpanPending" p USING "ReportSpan" s WHERE s."ticketId" = p."ticketId" AND s.kind = p.kind AND s."brandId" = ${brandId}`;
      await tx.reportBusinessClock.upsert({ where: { brandId }, create: { brandId, fingerprint: want }, update: { fingerprint: want } });
    },
    { timeout: 600_000 },
  );
}

/**
 * New and changed spans: taken off the queue and computed in one statement. Spans queued meanwhile
 * outside the window stay queued for the next report.
 */
async function fillPending(db: Db, brandId: string, cal: BusinessCalendar | null, p: Bounds) {
  if (p.from === null || p.to === null) return;
  const from = p.from;
  const to = Math.max(p.to, from + 1);
  const window = Prisma.sql`s."brandId" = ${brandId} AND s."fromMs" >= ${from} AND s."toMs" <= ${to}`;
  if (!cal) {
    await db.$executeRaw`DELETE FROM "ReportSpanPending" p USING "ReportSpan" s WHERE s."ticketId" = p."ticketId" AND s.kind = p.kind AND ${window}`;
    return;
  }
  await db.$executeRaw`
    WITH d AS (DELETE FROM "ReportSpanPending" p USING "ReportSpan" s WHERE s."ticketId" = p."ticketId" AND s.kind = p.kind AND ${window} RETURNING p."ticketId", p.kind)
    UPDATE "ReportSpan" s SET business = ${businessSeconds(new BusinessClock(cal, from, to))} FROM d WHERE s."ticketId" = d."ticketId" AND s.kind = d.kind`;
}

/**
 * The worker's minute job: every brand's pending spans (and a whole brand after its business
 * hours changed) are computed in the background, so reading a report rarely has any left to do.
 */
export async function fillAllBusinessSeconds(db: Db): Promise<{ brands: number }> {
  const brandIds = (await db.brand.findMany({ select: { id: true } })).map((b) => b.id);
  if (!brandIds.length) return { brands: 0 };
  const scope = await resolveScope(db, { filters: reportFilterSchema.parse({}), brandIds });
  await fillBusinessSeconds(db, scope);
  return { brands: brandIds.length };
}
