import "server-only";
import type { Tx } from "@/lib/db";
import type { Channel, Priority, TicketStatus } from "@/lib/generated/prisma/client";
import { badRequest } from "@/lib/errors";
import { customerCte, type CustomerRow } from "@/lib/customers/match";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/tickets/actor";
import type { EventInput } from "@/lib/tickets/events";
import { emitMessageCreated, isPublic, snippetOf, type NewMessage } from "@/lib/tickets/messages";
import { MAX_TEXT } from "@/lib/tickets/search";
import { newTicketSla } from "@/lib/sla/ticket-sla";
import { rulesNeedSnapshot, runRules, snapshotOf, type Known } from "@/lib/automation/engine";
import { emitWebhookEvent, ticketPayload } from "@/lib/webhooks/emit";

export type NewTicket = {
  brandId: string;
  channel: Channel;
  subject: string;
  customer: { id?: string; email?: string | null; name?: string | null; language?: string | null };
  message: Omit<NewMessage, "customerId">;
  actor: Actor;
  status?: TicketStatus;
  priority?: Priority;
  typeId?: string | null;
  topicId?: string | null;
  assigneeId?: string | null;
  groupId?: string | null;
  mailboxId?: string | null;
  language?: string | null;
  linkedToId?: number | null;
  tagIds?: string[];
  /** Values of the brand's custom contact-form fields. */
  fields?: Record<string, string | boolean>;
  /** A number taken beforehand (nextTicketNumber), e.g. to render a confirmation that quotes it. */
  number?: number;
  /**
   * An automatic answer stored right after the first message (the contact form's
   * confirmation), counted on the ticket as appendMessage would count it.
   */
  followUp?: Omit<NewMessage, "customerId" | "createdAt" | "attachmentIds"> & { kind: "AUTO_REPLY" };
};

/** Takes the next ticket number, for createTicket's `number` (as an SQL expression for a caller's statement). */
export const nextTicketNumberSql = Prisma.sql`nextval(pg_get_serial_sequence('"Ticket"', 'number'))::int`;

/**
 * One ticket with its first message and history, inside the caller's transaction: the
 * requester, the ticket, its message, tags, history, report event and SLA checks are
 * written by one statement, then the rules run.
 */
export async function createTicket(tx: Tx, input: NewTicket) {
  const at = input.message.createdAt ?? new Date();
  const now = new Date();
  const m = input.message;
  const subject = input.subject.trim().slice(0, 500) || "(no subject)";
  const status = input.status ?? "OPEN";
  const priority = input.priority ?? "MEDIUM";
  const typeId = input.typeId ?? null;
  const firstResponseAt = m.kind === "REPLY" && m.authorId ? at : null;
  // What syncTicketSla would write after the insert goes into the insert.
  const sla = await newTicketSla(tx, { brandId: input.brandId, priority, typeId, channel: input.channel, status, createdAt: at, firstResponseAt });
  const known: Known = { brandId: input.brandId, subject, channel: input.channel, status, priority, typeId, topicId: input.topicId ?? null, groupId: input.groupId ?? null, assigneeId: input.assigneeId ?? null };
  // When a rule may match, the statement also returns what the rules look at (as `snapshot` would read it).
  const forRules = await rulesNeedSnapshot(tx, "TICKET_CREATED", known);
  const events: EventInput[] = [
    { type: "CREATED", to: input.channel },
    ...(input.assigneeId ? [{ type: "ASSIGNEE" as const, to: input.assigneeId }] : []),
    ...(input.groupId ? [{ type: "GROUP" as const, to: input.groupId }] : []),
    ...(input.linkedToId ? [{ type: "LINKED" as const, to: String(input.linkedToId) }] : []),
  ];
  const actorId = input.actor.type === "USER" ? (input.actor.id ?? null) : null;
  const tagIds = input.tagIds ?? [];
  const attachmentIds = m.attachmentIds ?? [];
  const f = input.followUp;
  // The follow-up comes after the first message (its own time; the ticket's last activity, snippet and counters are its).
  const fAt = f ? new Date(Math.max(Date.now(), at.getTime())) : at;
  const publicCount = (isPublic(m.kind) ? 1 : 0) + (f ? 1 : 0);
  const snippet = f ? snippetOf(f.text) : snippetOf(m.text);
  const texts = [m.text, ...(f?.text.trim() ? [f.text] : [])];
  // The row is written once, with what its first message makes of it (what appendMessage
  // would write next: counters, snippet, last customer message, first response) and its
  // search vector: subject and requester (as rebuildSearchVector) and the message's text.
  // Data-modifying CTEs all run exactly once; foreign keys are checked at the statement's end.
  const rows = await tx.$queryRaw<(CustomerRow & { tid: number; number: number; messageId: number; followUpId: number | null; bName: string | null; bLanguage: string | null; bSettings: Prisma.JsonValue | null; hoursId: string | null; timezone: string | null; schedule: unknown; holidays: unknown; tagNames: string[] | null })[]>`
    WITH ${customerCte(input.customer, now)},
    t AS (
      INSERT INTO "Ticket" (${input.number === undefined ? Prisma.empty : Prisma.sql`number, `}"brandId", channel, subject, snippet, status, priority, "typeId", "topicId", "customerId", "assigneeId", "groupId", "mailboxId", language, "linkedToId",
                            "createdAt", "updatedAt", "lastMessageAt", "messageCount", "lastCustomerAt", "firstResponseAt",
                            "slaPolicyId", "slaPausedAt", "slaPauses", "firstResponseDueAt", "firstResponseWarnAt", "resolutionDueAt", "resolutionWarnAt", fields, "searchVector")
      SELECT ${input.number === undefined ? Prisma.empty : Prisma.sql`${input.number}::int, `}${input.brandId}, ${input.channel}::"Channel", ${subject}, ${snippet}, ${status}::"TicketStatus", ${priority}::"Priority",
             ${typeId}::text, ${input.topicId ?? null}::text, c.id, ${input.assigneeId ?? null}::text, ${input.groupId ?? null}::text, ${input.mailboxId ?? null}::text,
             ${input.language ?? input.customer.language ?? null}::text, ${input.linkedToId ?? null}::int,
             ${at}::timestamp(3), ${fAt}::timestamp(3), ${fAt}::timestamp(3), ${publicCount}::int,
             ${m.kind === "CUSTOMER" ? at : null}::timestamp(3), ${firstResponseAt}::timestamp(3),
             ${sla.fields?.slaPolicyId ?? null}::text, ${sla.fields?.slaPausedAt ?? null}::timestamp(3), ${JSON.stringify(sla.fields?.slaPauses ?? [])}::jsonb,
             ${sla.fields?.firstResponseDueAt ?? null}::timestamp(3), ${sla.fields?.firstResponseWarnAt ?? null}::timestamp(3),
             ${sla.fields?.resolutionDueAt ?? null}::timestamp(3), ${sla.fields?.resolutionWarnAt ?? null}::timestamp(3),
             ${JSON.stringify(input.fields ?? {})}::jsonb,
             to_tsvector('simple', ${subject} || ' ' || coalesce(c.name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(regexp_replace(c.email, '[@.]', ' ', 'g'), ''))
               || ${Prisma.join(texts.map((x) => Prisma.sql`to_tsvector('simple', left(${x}::text, ${MAX_TEXT}::int))`), " || ")}
      FROM c
      RETURNING id, number),
    m AS (
      INSERT INTO "Message" ("ticketId", kind, html, text, "authorId", "customerId", subject, "fromAddress", "fromName", "to", cc, "emailMessageId", "inReplyTo", "references", "deliveryStatus", automated, "createdAt")
      SELECT t.id, ${m.kind}::"MessageKind", ${m.html}::text, ${m.text}::text, ${m.authorId ?? null}::text, ${m.kind === "CUSTOMER" ? Prisma.sql`c.id` : Prisma.sql`NULL::text`}, ${m.subject ?? null}::text,
             ${m.fromAddress ?? null}::text, ${m.fromName ?? null}::text, ${m.to ?? []}::text[], ${m.cc ?? []}::text[], ${m.emailMessageId ?? null}::text, ${m.inReplyTo ?? null}::text,
             ${m.references ?? []}::text[], ${m.deliveryStatus ?? "NONE"}::"DeliveryStatus", ${m.automated ?? false}::boolean, ${at}::timestamp(3)
      FROM t, c
      RETURNING id)
    ${
      f
        ? Prisma.sql`, m2 AS (
      INSERT INTO "Message" ("ticketId", kind, html, text, "authorId", subject, "fromAddress", "fromName", "to", cc, "emailMessageId", "inReplyTo", "references", "deliveryStatus", automated, "createdAt")
      SELECT t.id, ${f.kind}::"MessageKind", ${f.html}::text, ${f.text}::text, ${f.authorId ?? null}::text, ${f.subject ?? null}::text,
             ${f.fromAddress ?? null}::text, ${f.fromName ?? null}::text, ${f.to ?? []}::text[], ${f.cc ?? []}::text[], ${f.emailMessageId ?? null}::text, ${f.inReplyTo ?? null}::text,
             ${f.references ?? []}::text[], ${f.deliveryStatus ?? "NONE"}::"DeliveryStatus", ${f.automated ?? false}::boolean, ${fAt}::timestamp(3)
      FROM t, m -- after the first message
      RETURNING id)`
        : Prisma.empty
    }
    ${attachmentIds.length ? Prisma.sql`, a AS (UPDATE "Attachment" SET "messageId" = m.id, "uploadedById" = NULL FROM m WHERE "Attachment".id = ANY(${attachmentIds}::text[]) AND "Attachment"."messageId" IS NULL)` : Prisma.empty}
    ${tagIds.length ? Prisma.sql`, tt AS (INSERT INTO "TicketTag" ("ticketId", "tagId") SELECT t.id, x FROM t, unnest(${tagIds}::text[]) AS x)` : Prisma.empty},
    e AS (
      INSERT INTO "TicketEvent" ("ticketId", "actorType", "actorId", type, "fromValue", "toValue", data, "createdAt")
      SELECT t.id, ${input.actor.type}::"ActorType", ${actorId}::text, x.type::"TicketEventType", x.f, x.t, x.d::jsonb, ${now}::timestamp(3)
      FROM t, unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.from ?? null)}::text[], ${events.map((e) => e.to ?? null)}::text[], ${events.map((e) => (e.data === undefined ? null : JSON.stringify(e.data)))}::text[])
           WITH ORDINALITY AS x(type, f, t, d, n)
      ORDER BY x.n),
    r AS (INSERT INTO "ReportEvent" (type, "brandId", "ticketId", at) SELECT 'TICKET_CREATED'::"ReportEventType", ${input.brandId}, t.id, ${at}::timestamp(3) FROM t)
    SELECT t.id AS tid, t.number, m.id AS "messageId", ${f ? Prisma.sql`(SELECT id FROM m2)` : Prisma.sql`NULL::int`} AS "followUpId", c.id, c.email, c.name, c.language, c.blocked,
           ${
             forRules
               ? Prisma.sql`b.name AS "bName", b."defaultLanguage" AS "bLanguage", b.settings AS "bSettings", bh.id AS "hoursId", bh.timezone, bh.schedule, bh.holidays, ${tagIds.length ? Prisma.sql`ARRAY(SELECT name FROM "Tag" WHERE id = ANY(${tagIds}::text[]))` : Prisma.sql`'{}'::text[]`} AS "tagNames"`
               : Prisma.sql`NULL AS "bName"`
           },
           ${sla.jobs(Prisma.sql`t.id`)}
    FROM t CROSS JOIN c CROSS JOIN m
    ${forRules ? Prisma.sql`LEFT JOIN "Brand" b ON b.id = ${input.brandId} LEFT JOIN "BusinessHours" bh ON bh.id = b."businessHoursId"` : Prisma.empty}`;
  const row = rows[0];
  if (!row) throw badRequest("That customer does not exist.", "customer");
  const customer = { id: row.id, email: row.email, name: row.name };
  const ticket = { id: row.tid, number: row.number, brandId: input.brandId, customerId: row.id };
  const message: NewMessage = { ...m, customerId: m.kind === "CUSTOMER" ? customer.id : null, createdAt: at };
  // Webhooks (nothing is read unless one listens), as addEvents would announce the creation.
  await emitMessageCreated(tx, ticket.id, { id: row.messageId, createdAt: at }, message);
  if (f) await emitMessageCreated(tx, ticket.id, { id: row.followUpId!, createdAt: fAt }, f);
  await emitWebhookEvent(tx, "ticket.created", async () => ({ ticket: await ticketPayload(tx, ticket.id), changes: events.map((e) => ({ type: e.type, from: e.from ?? null, to: e.to ?? null })) }));
  // The rules see the ticket as just written; those that cannot match it are ruled out without reading it back.
  const given = forRules
    ? snapshotOf({
        id: ticket.id, number: ticket.number, subject, brandId: input.brandId, channel: input.channel, status, priority, typeId, topicId: input.topicId ?? null,
        groupId: input.groupId ?? null, assigneeId: input.assigneeId ?? null, customerId: customer.id, language: input.language ?? input.customer.language ?? null,
        createdAt: at, updatedAt: fAt, lastCustomerAt: m.kind === "CUSTOMER" ? at : null, lastMessageAt: fAt, firstResponseAt, slaPolicyId: sla.fields?.slaPolicyId ?? null,
        cEmail: row.email, cName: row.name, cLanguage: row.language, cBlocked: row.blocked,
        bName: row.bName!, bLanguage: row.bLanguage, bSettings: row.bSettings, hoursId: row.hoursId, timezone: row.timezone, schedule: row.schedule, holidays: row.holidays, tagNames: row.tagNames ?? [],
        lmId: m.kind === "CUSTOMER" ? row.messageId : null, lmText: m.kind === "CUSTOMER" ? m.text : null, lmAutomated: m.kind === "CUSTOMER" ? (m.automated ?? false) : null,
        lmEmailMessageId: m.kind === "CUSTOMER" ? (m.emailMessageId ?? null) : null,
      })
    : undefined;
  await runRules(tx, ticket.id, "TICKET_CREATED", undefined, known, given);
  return { ...ticket, customer, messageId: row.messageId, followUpId: row.followUpId };
}
