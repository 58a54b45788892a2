import "server-only";
import type { Tx } from "@/lib/db";
import { Prisma, type Channel, type Priority, type TicketEventType, type TicketStatus } from "@/lib/generated/prisma/client";
import type { BusinessHours } from "@/lib/sla/schedule-schema";
import { computeSlaDueTimes, type PauseInterval } from "@/lib/sla/sla-clock";
import { forgetKept, kept } from "@/lib/kept-config";

type Policy = {
  id: string;
  brandId: string | null;
  priority: Priority | null;
  typeId: string | null;
  channel: Channel | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnAtPercent: number;
  pauseWhenPending: boolean;
  hours: BusinessHours | null;
};

/** After an edit of SLA policies, business hours or which brand follows which hours (every process hears of it from the database too). */
export const forgetSlaPolicies = () => forgetKept("slaPolicies", "brandHours");

// Read on every ticket change: kept until they change (lib/kept-config).
function policies(tx: Tx): Promise<Policy[]> {
  return kept("slaPolicies", async () => {
    const rows = await tx.slaPolicy.findMany({
      where: { active: true },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      select: { id: true, brandId: true, priority: true, typeId: true, channel: true, firstResponseMinutes: true, resolutionMinutes: true, warnAtPercent: true, pauseWhenPending: true, businessHours: { select: { timezone: true, schedule: true, holidays: true } } },
    });
    // A policy without any target cannot give a ticket due times: it never applies.
    return rows.filter((p) => p.firstResponseMinutes !== null || p.resolutionMinutes !== null).map(({ businessHours, ...p }) => ({ ...p, hours: businessHours as BusinessHours | null }));
  });
}

/**
 * The brand's business hours, for a new ticket's due times: every brand's are read at
 * once and kept until they change (brands are few; a brand new since then is read alone).
 */
async function brandHours(tx: Tx, brandId: string): Promise<BusinessHours | null> {
  const byBrand = await kept("brandHours", async () => {
    const rows = await tx.$queryRaw<{ id: string; timezone: string | null; schedule: unknown; holidays: unknown }[]>`
      SELECT b.id, bh.timezone, bh.schedule, bh.holidays FROM "Brand" b LEFT JOIN "BusinessHours" bh ON bh.id = b."businessHoursId"`;
    return new Map(rows.map((r) => [r.id, r.timezone === null ? null : ({ timezone: r.timezone, schedule: r.schedule, holidays: r.holidays } as BusinessHours)]));
  });
  if (byBrand.has(brandId)) return byBrand.get(brandId)!;
  const rows = await tx.$queryRaw<BusinessHours[]>`SELECT bh.timezone, bh.schedule, bh.holidays FROM "Brand" b JOIN "BusinessHours" bh ON bh.id = b."businessHoursId" WHERE b.id = ${brandId}`;
  return rows[0] ?? null;
}

/** Events after which due times may change. */
const SLA_EVENTS: TicketEventType[] = ["CREATED", "STATUS", "PRIORITY", "TYPE"];
export const affectsSla = (types: TicketEventType[]) => types.some((t) => SLA_EVENTS.includes(t));

type Kind = "first_response" | "resolution";
type Phase = "warn" | "breach";
const jobKey = (ticketId: number, kind: Kind, phase: Phase) => `sla:${ticketId}:${kind}:${phase}`;

type Job = { kind: Kind; phase: Phase; at: Date | null };

/**
 * The warning and breach checks (and any change to the ticket) in one statement: the
 * jobs to (re)schedule go to one add_jobs call — what add_job does in its default
 * 'replace' mode, for one job at a time — and the others are removed.
 * `ticketId` may be an SQL expression (the id of a ticket inserted by the same
 * statement), which has no jobs to remove yet.
 */
function jobCalls(ticketId: number | Prisma.Sql, jobs: Job[]): Prisma.Sql {
  if (typeof ticketId === "number") return jobCallsMany([{ ticketId, jobs }]);
  const add = jobs.flatMap((j) => (j.at ? [jobSpec(ticketId, j)] : []));
  return add.length ? Prisma.sql`(SELECT count(*) FROM graphile_worker.add_jobs(ARRAY[${Prisma.join(add)}], false))` : Prisma.sql`1`;
}

/** jobCalls for many stored tickets: one add_jobs call for all their checks, one removal pass. */
function jobCallsMany(list: { ticketId: number; jobs: Job[] }[]): Prisma.Sql {
  const add = list.flatMap(({ ticketId, jobs }) => jobs.flatMap((j) => (j.at ? [jobSpec(ticketId, j)] : [])));
  const removed = list.flatMap(({ ticketId, jobs }) => jobs.filter((j) => !j.at).map(({ kind, phase }) => jobKey(ticketId, kind, phase)));
  const calls = [
    ...(removed.length ? [Prisma.sql`(SELECT count(graphile_worker.remove_job(k)) FROM unnest(${removed}::text[]) k) >= 0`] : []),
    ...(add.length ? [Prisma.sql`(SELECT count(*) FROM graphile_worker.add_jobs(ARRAY[${Prisma.join(add)}], false))`] : []),
  ];
  return calls.length ? Prisma.join(calls) : Prisma.sql`1`;
}

function jobSpec(ticketId: number | Prisma.Sql, { kind, phase, at }: Job): Prisma.Sql {
  // Runs at the exact due time; the job key makes a reschedule replace the old job.
  const [payload, key] =
    typeof ticketId !== "number"
      ? [Prisma.sql`json_build_object('ticketId', ${ticketId}, 'kind', ${kind}::text, 'phase', ${phase}::text, 'at', ${at!.toISOString()}::text)`, Prisma.sql`('sla:' || ${ticketId} || ${`:${kind}:${phase}`}::text)`]
      : [Prisma.sql`${JSON.stringify({ ticketId, kind, phase, at: at!.toISOString() })}::json`, Prisma.sql`${jobKey(ticketId, kind, phase)}::text`];
  return Prisma.sql`ROW('sla_check'::text, ${payload}, NULL::text, ${at}::timestamptz, 5::smallint, ${key}, NULL::smallint, NULL::text[])::graphile_worker.job_spec`;
}

const asPauses = (v: unknown): PauseInterval[] =>
  Array.isArray(v) ? v.flatMap((p) => (p && typeof p === "object" && "from" in p && "to" in p ? [{ from: new Date(String(p.from)), to: new Date(String(p.to)) }] : [])) : [];

type SlaState = {
  brandId: string; priority: Priority; typeId: string | null; channel: Channel; status: TicketStatus; createdAt: Date; firstResponseAt: Date | null;
  slaPolicyId: string | null; slaPausedAt: Date | null; slaPauses: unknown;
};
type SlaFields = {
  slaPolicyId: string; slaPausedAt: Date | null; slaPauses: { from: string; to: string }[];
  firstResponseDueAt: Date | null; firstResponseWarnAt: Date | null; resolutionDueAt: Date | null; resolutionWarnAt: Date | null;
};
const NO_JOBS: Job[] = [
  { kind: "first_response", phase: "warn", at: null },
  { kind: "first_response", phase: "breach", at: null },
  { kind: "resolution", phase: "warn", at: null },
  { kind: "resolution", phase: "breach", at: null },
];

const matching = (all: Policy[], t: Pick<SlaState, "brandId" | "priority" | "typeId" | "channel">) =>
  all.find((p) => (!p.brandId || p.brandId === t.brandId) && (!p.priority || p.priority === t.priority) && (!p.typeId || p.typeId === t.typeId) && (!p.channel || p.channel === t.channel));

/** Due times and checks under a policy (pure): Pending pauses the clock when the policy says so; leaving Pending closes the pause. */
function plan(policy: Policy, t: SlaState, brandHours: BusinessHours | null, now: Date): { fields: SlaFields; jobs: Job[] } {
  const pauses = asPauses(t.slaPauses);
  let pausedAt = t.slaPausedAt;
  const shouldPause = policy.pauseWhenPending && t.status === "PENDING";
  if (shouldPause && !pausedAt) pausedAt = now;
  if (!shouldPause && pausedAt) {
    pauses.push({ from: pausedAt, to: now });
    pausedAt = null;
  }
  const hours = policy.hours ?? brandHours ?? null;
  const due = computeSlaDueTimes({
    policy: { firstResponseMinutes: policy.firstResponseMinutes, resolutionMinutes: policy.resolutionMinutes, warnAtPercent: policy.warnAtPercent },
    hours,
    createdAt: t.createdAt,
    pauses: pausedAt ? [...pauses, { from: pausedAt, to: null }] : pauses,
  });
  const resolved = t.status === "RESOLVED" || t.status === "CLOSED";
  const frOpen = !t.firstResponseAt && !resolved;
  const future = (d: Date | null) => (d && d.getTime() > now.getTime() ? d : d ? now : null);
  return {
    fields: {
      slaPolicyId: policy.id,
      slaPausedAt: pausedAt,
      slaPauses: pauses.map((p) => ({ from: p.from.toISOString(), to: p.to!.toISOString() })),
      firstResponseDueAt: due.firstResponseDueAt,
      firstResponseWarnAt: due.firstResponseWarnAt,
      resolutionDueAt: due.resolutionDueAt,
      resolutionWarnAt: due.resolutionWarnAt,
    },
    jobs: [
      { kind: "first_response", phase: "warn", at: frOpen ? future(due.firstResponseWarnAt) : null },
      { kind: "first_response", phase: "breach", at: frOpen ? future(due.firstResponseDueAt) : null },
      { kind: "resolution", phase: "warn", at: !resolved ? future(due.resolutionWarnAt) : null },
      { kind: "resolution", phase: "breach", at: !resolved ? future(due.resolutionDueAt) : null },
    ],
  };
}

/**
 * A5: picks the ticket's SLA policy (first active one, in order, whose brand, priority,
 * type and channel match), keeps the pause history while Pending, stores due and warning
 * times and schedules the warning and breach checks for those exact instants. Called in
 * the transaction of every change that can move them (creation, status, priority, type).
 */
export async function syncTicketSla(tx: Tx, ticketId: number, now = new Date()) {
  await syncTicketsSla(tx, [ticketId], now);
}

/** syncTicketSla for many tickets (bulk actions): one read, then one write per SYNC_CHUNK tickets. */
export async function syncTicketsSla(tx: Tx, ticketIds: number[], now = new Date()) {
  if (!ticketIds.length) return;
  // The tickets and their brands' business hours in one round trip.
  const rows = await tx.$queryRaw<(SlaState & { id: number; hoursId: string | null; timezone: string | null; schedule: unknown; holidays: unknown })[]>`
    SELECT t.id, t."brandId", t.priority::text AS priority, t."typeId", t.channel::text AS channel, t.status::text AS status, t."createdAt", t."firstResponseAt",
           t."slaPolicyId", t."slaPausedAt", t."slaPauses", bh.id AS "hoursId", bh.timezone, bh.schedule, bh.holidays
    FROM "Ticket" t JOIN "Brand" b ON b.id = t."brandId" LEFT JOIN "BusinessHours" bh ON bh.id = b."businessHoursId"
    WHERE t.id = ANY(${ticketIds}::int[])`;
  const missing = ticketIds.find((id) => !rows.some((r) => r.id === id));
  if (missing !== undefined) throw new Prisma.PrismaClientKnownRequestError(`Ticket ${missing} not found`, { code: "P2025", clientVersion: Prisma.prismaVersion.client });
  const all = await policies(tx);
  const outcomes = rows.map((t) => {
    const policy = matching(all, t);
    // Only a policy that still applies elsewhere is taken away; a switched-off or deleted
    // policy leaves the due times the ticket already had.
    if (!policy) return { id: t.id, clear: Boolean(t.slaPolicyId && all.some((p) => p.id === t.slaPolicyId)), fields: null, jobs: NO_JOBS };
    const brandHours = t.hoursId ? ({ timezone: t.timezone, schedule: t.schedule, holidays: t.holidays } as BusinessHours) : null;
    const { fields, jobs } = plan(policy, t, brandHours, now);
    return { id: t.id, clear: false, fields, jobs };
  });
  for (let i = 0; i < outcomes.length; i += SYNC_CHUNK) {
    const chunk = outcomes.slice(i, i + SYNC_CHUNK);
    const stored = chunk.flatMap((o) => (o.fields ? [{ id: o.id, f: o.fields }] : []));
    const cleared = chunk.filter((o) => o.clear).map((o) => o.id);
    // The tickets' due times and their checks in one statement (a data-modifying WITH runs
    // exactly once, whether or not the query reads it).
    const changes = [
      ...(stored.length
        ? [Prisma.sql`stored AS (UPDATE "Ticket" t SET "slaPolicyId" = v.policy, "slaPausedAt" = v.paused, "slaPauses" = v.pauses,
              "firstResponseDueAt" = v.fr_due, "firstResponseWarnAt" = v.fr_warn, "resolutionDueAt" = v.res_due, "resolutionWarnAt" = v.res_warn
            FROM (VALUES ${Prisma.join(stored.map(({ id, f }) => Prisma.sql`(${id}::int, ${f.slaPolicyId}::text, ${f.slaPausedAt}::timestamp(3), ${JSON.stringify(f.slaPauses)}::jsonb, ${f.firstResponseDueAt}::timestamp(3), ${f.firstResponseWarnAt}::timestamp(3), ${f.resolutionDueAt}::timestamp(3), ${f.resolutionWarnAt}::timestamp(3))`))})
              AS v(id, policy, paused, pauses, fr_due, fr_warn, res_due, res_warn)
            WHERE t.id = v.id)`]
        : []),
      ...(cleared.length
        ? [Prisma.sql`cleared AS (UPDATE "Ticket" SET "slaPolicyId" = NULL, "firstResponseDueAt" = NULL, "resolutionDueAt" = NULL, "firstResponseWarnAt" = NULL, "resolutionWarnAt" = NULL, "slaPausedAt" = NULL, "updatedAt" = ${new Date()}::timestamp(3)
            WHERE id = ANY(${cleared}::int[]))`]
        : []),
    ];
    const calls = jobCallsMany(chunk.map((o) => ({ ticketId: o.id, jobs: o.jobs })));
    if (changes.length) await tx.$executeRaw`WITH ${Prisma.join(changes)} SELECT ${calls}`;
    else await tx.$executeRaw`SELECT ${calls}`;
  }
}
// Each ticket's write has 8 values and up to 4 job specs: a hundred keep a statement well under PostgreSQL's parameter limit.
const SYNC_CHUNK = 100;

/**
 * The same for a ticket about to be created (what syncTicketSla would do right after
 * the insert): the SLA columns to insert it with, and the checks to schedule once it
 * has its id (a select list, for the caller's next statement, or for the inserting
 * statement itself given its id as an expression) — so a new ticket's row is written once.
 */
export async function newTicketSla(tx: Tx, t: Pick<SlaState, "brandId" | "priority" | "typeId" | "channel" | "status" | "createdAt" | "firstResponseAt">, now = new Date()) {
  const policy = matching(await policies(tx), t);
  if (!policy) return { fields: null, jobs: (ticketId: number | Prisma.Sql) => jobCalls(ticketId, NO_JOBS) };
  const hours = policy.hours ? null : await brandHours(tx, t.brandId);
  const { fields, jobs } = plan(policy, { ...t, slaPolicyId: null, slaPausedAt: null, slaPauses: [] }, hours, now);
  return { fields, jobs: (ticketId: number | Prisma.Sql) => jobCalls(ticketId, jobs) };
}
