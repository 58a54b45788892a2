import "server-only";
import type { Tx } from "@/lib/db";
import type { Channel, Priority, TicketEventType } from "@/lib/generated/prisma/client";
import type { BusinessHours } from "@/lib/sla/schedule-schema";
import { computeSlaDueTimes, type PauseInterval } from "@/lib/sla/sla-clock";

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

// Read on every ticket change; a short cache keeps that free. Admin edits clear it.
const CACHE_MS = 5_000;
let cache: { at: number; policies: Policy[] } | null = null;
export function forgetSlaPolicies() {
  cache = null;
}

async function policies(tx: Tx): Promise<Policy[]> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.policies;
  const rows = await tx.slaPolicy.findMany({
    where: { active: true },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, brandId: true, priority: true, typeId: true, channel: true, firstResponseMinutes: true, resolutionMinutes: true, warnAtPercent: true, pauseWhenPending: true, businessHours: { select: { timezone: true, schedule: true, holidays: true } } },
  });
  // A policy without any target cannot give a ticket due times: it never applies.
  const list = rows.filter((p) => p.firstResponseMinutes !== null || p.resolutionMinutes !== null).map(({ businessHours, ...p }) => ({ ...p, hours: businessHours as BusinessHours | null }));
  cache = { at: Date.now(), policies: list };
  return list;
}

/** Events after which due times may change. */
const SLA_EVENTS: TicketEventType[] = ["CREATED", "STATUS", "PRIORITY", "TYPE"];
export const affectsSla = (types: TicketEventType[]) => types.some((t) => SLA_EVENTS.includes(t));

type Kind = "first_response" | "resolution";
type Phase = "warn" | "breach";
const jobKey = (ticketId: number, kind: Kind, phase: Phase) => `sla:${ticketId}:${kind}:${phase}`;

async function schedule(tx: Tx, ticketId: number, kind: Kind, phase: Phase, at: Date | null) {
  const key = jobKey(ticketId, kind, phase);
  if (!at) {
    await tx.$executeRaw`SELECT graphile_worker.remove_job(${key})`;
    return;
  }
  const payload = JSON.stringify({ ticketId, kind, phase, at: at.toISOString() });
  // Runs at the exact due time; the job key makes a reschedule replace the old job.
  await tx.$executeRaw`SELECT graphile_worker.add_job('sla_check', ${payload}::json, run_at := ${at}, job_key := ${key}, job_key_mode := 'replace', max_attempts := 5)`;
}

const asPauses = (v: unknown): PauseInterval[] =>
  Array.isArray(v) ? v.flatMap((p) => (p && typeof p === "object" && "from" in p && "to" in p ? [{ from: new Date(String(p.from)), to: new Date(String(p.to)) }] : [])) : [];

/**
 * A5: picks the ticket's SLA policy (first active one, in order, whose brand, priority,
 * type and channel match), keeps the pause history while Pending, stores due and warning
 * times and schedules the warning and breach checks for those exact instants. Called in
 * the transaction of every change that can move them (creation, status, priority, type).
 */
export async function syncTicketSla(tx: Tx, ticketId: number, now = new Date()) {
  const t = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: {
      brandId: true, priority: true, typeId: true, channel: true, status: true, createdAt: true, firstResponseAt: true,
      slaPolicyId: true, slaPausedAt: true, slaPauses: true,
      brand: { select: { businessHours: { select: { timezone: true, schedule: true, holidays: true } } } },
    },
  });
  const all = await policies(tx);
  const policy = all.find(
    (p) => (!p.brandId || p.brandId === t.brandId) && (!p.priority || p.priority === t.priority) && (!p.typeId || p.typeId === t.typeId) && (!p.channel || p.channel === t.channel),
  );
  if (!policy) {
    // Only a policy that still applies elsewhere is taken away; a switched-off or deleted
    // policy leaves the due times the ticket already had.
    if (t.slaPolicyId && all.some((p) => p.id === t.slaPolicyId)) {
      await tx.ticket.update({ where: { id: ticketId }, data: { slaPolicyId: null, firstResponseDueAt: null, resolutionDueAt: null, firstResponseWarnAt: null, resolutionWarnAt: null, slaPausedAt: null } });
    }
    for (const k of ["first_response", "resolution"] as const) for (const ph of ["warn", "breach"] as const) await schedule(tx, ticketId, k, ph, null);
    return;
  }

  // Pending pauses the clock (when the policy says so); leaving Pending closes the pause.
  const pauses = asPauses(t.slaPauses);
  let pausedAt = t.slaPausedAt;
  const shouldPause = policy.pauseWhenPending && t.status === "PENDING";
  if (shouldPause && !pausedAt) pausedAt = now;
  if (!shouldPause && pausedAt) {
    pauses.push({ from: pausedAt, to: now });
    pausedAt = null;
  }
  const hours = policy.hours ?? (t.brand.businessHours as BusinessHours | null) ?? null;
  const due = computeSlaDueTimes({
    policy: { firstResponseMinutes: policy.firstResponseMinutes, resolutionMinutes: policy.resolutionMinutes, warnAtPercent: policy.warnAtPercent },
    hours,
    createdAt: t.createdAt,
    pauses: pausedAt ? [...pauses, { from: pausedAt, to: null }] : pauses,
  });
  await tx.ticket.update({
    where: { id: ticketId },
    data: {
      slaPolicyId: policy.id,
      slaPausedAt: pausedAt,
      slaPauses: pauses.map((p) => ({ from: p.from.toISOString(), to: p.to!.toISOString() })),
      firstResponseDueAt: due.firstResponseDueAt,
      firstResponseWarnAt: due.firstResponseWarnAt,
      resolutionDueAt: due.resolutionDueAt,
      resolutionWarnAt: due.resolutionWarnAt,
    },
  });
  const resolved = t.status === "RESOLVED" || t.status === "CLOSED";
  const frOpen = !t.firstResponseAt && !resolved;
  const future = (d: Date | null) => (d && d.getTime() > now.getTime() ? d : d ? now : null);
  await schedule(tx, ticketId, "first_response", "warn", frOpen ? future(due.firstResponseWarnAt) : null);
  await schedule(tx, ticketId, "first_response", "breach", frOpen ? future(due.firstResponseDueAt) : null);
  await schedule(tx, ticketId, "resolution", "warn", !resolved ? future(due.resolutionWarnAt) : null);
  await schedule(tx, ticketId, "resolution", "breach", !resolved ? future(due.resolutionDueAt) : null);
}
