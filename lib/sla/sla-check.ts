import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/messages";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { brandChannel } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";
import { emailLayout } from "@/lib/mail/templates/layout";
import { SYSTEM } from "@/lib/tickets/actor";
import { addEvents } from "@/lib/tickets/events";

const payload = z.object({ ticketId: z.number().int(), kind: z.enum(["first_response", "resolution"]), phase: z.enum(["warn", "breach"]), at: z.iso.datetime() });

/**
 * The job scheduled for the exact warning or due instant of one SLA target. It does
 * nothing when the target moved (priority or type changed, a pause), was met, or the
 * ticket is paused; otherwise it records the warning or breach on the ticket (history,
 * report event) and tells the assignee — or the group when nobody is assigned — in the
 * app and by email, once per due time.
 */
export async function runSlaCheck(db: Db, raw: unknown, now = new Date()) {
  const p = payload.parse(raw);
  const at = new Date(p.at);
  if (now.getTime() < at.getTime()) return { acted: false, why: "early" as const };
  const out = await db.$transaction(async (tx) => {
    const t = await tx.ticket.findUnique({
      where: { id: p.ticketId },
      select: {
        id: true, number: true, subject: true, brandId: true, status: true, state: true, firstResponseAt: true, slaPausedAt: true, slaBreachedAt: true,
        firstResponseDueAt: true, firstResponseWarnAt: true, resolutionDueAt: true, resolutionWarnAt: true, assigneeId: true, groupId: true, slaPolicy: { select: { name: true } },
      },
    });
    if (!t || t.state !== "ACTIVE" || t.slaPausedAt) return { acted: false, why: "inactive" as const };
    const expected = p.kind === "first_response" ? (p.phase === "breach" ? t.firstResponseDueAt : t.firstResponseWarnAt) : p.phase === "breach" ? t.resolutionDueAt : t.resolutionWarnAt;
    if (!expected || expected.getTime() !== at.getTime()) return { acted: false, why: "moved" as const };
    const done = p.kind === "first_response" ? !!t.firstResponseAt || t.status === "RESOLVED" || t.status === "CLOSED" : t.status === "RESOLVED" || t.status === "CLOSED";
    if (done) return { acted: false, why: "met" as const };
    const type = p.phase === "breach" ? "SLA_BREACH" : "SLA_WARNING";
    const seen = await tx.ticketEvent.count({ where: { ticketId: t.id, type, toValue: p.kind, data: { path: ["at"], equals: p.at } } });
    if (seen) return { acted: false, why: "done before" as const };

    const dueAt = p.kind === "first_response" ? t.firstResponseDueAt! : t.resolutionDueAt!;
    await addEvents(tx, t.id, SYSTEM, [{ type, to: p.kind, data: { at: p.at, dueAt: dueAt.toISOString() } }]);
    if (p.phase === "breach") {
      if (!t.slaBreachedAt) await tx.ticket.update({ where: { id: t.id }, data: { slaBreachedAt: now } });
      await tx.reportEvent.create({ data: { type: "SLA_BREACHED", brandId: t.brandId, ticketId: t.id, userId: t.assigneeId, groupId: t.groupId, data: { kind: p.kind, policy: t.slaPolicy?.name ?? null } } });
    }
    const people = t.assigneeId
      ? await tx.user.findMany({ where: { id: t.assigneeId, active: true }, select: { id: true, email: true, name: true, language: true } })
      : t.groupId
        ? await tx.user.findMany({ where: { active: true, groups: { some: { groupId: t.groupId } } }, select: { id: true, email: true, name: true, language: true } })
        : [];
    const link = `/tickets/${t.number}`;
    for (const u of people) {
      const tr = translator(u.language, "emails");
      const vars = { number: t.number, subject: t.subject, target: tr(`sla.${p.kind}`), due: dueAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" };
      const title = tr(`sla.${p.phase}.subject`, vars);
      await tx.notification.create({ data: { userId: u.id, kind: `sla.${p.phase}`, title, body: tr(`sla.${p.phase}.body`, vars), link } });
      const mail = emailLayout({ title, paragraphs: [tr("greeting", { name: u.name }), tr(`sla.${p.phase}.body`, vars)], action: { label: tr("sla.open"), url: `${env.APP_URL}${link}` } });
      await enqueueEmail(tx, { to: [u.email], subject: title, ...mail, purpose: "SLA", ticketId: t.id, headers: { "Auto-Submitted": "auto-generated" } });
    }
    return { acted: true, why: p.phase, notified: people.length, ticket: { id: t.id, number: t.number, brandId: t.brandId } };
  });
  // The inbox shows SLA state and filters "at risk" / "breached": open lists refetch once it has committed.
  const { ticket, ...result }: typeof out & { ticket?: { id: number; number: number; brandId: string } } = out;
  if (ticket) await publish([{ channel: brandChannel(ticket.brandId), event: "ticket.updated", data: { ...ticket, fields: [p.phase === "breach" ? "SLA_BREACH" : "SLA_WARNING"] } }]);
  return result;
}
