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
import { afterNewTicketWrite, newTicketWrite, planNewTicketRules, rulesActOnNewTicket, rulesNeedSnapshot, runRules, snapshotOf, type Known, type NewTicketWrite, type SnapshotRow } from "@/lib/automation/engine";
import { emitWebhookEvent, ticketPayload, webhooksListen } from "@/lib/webhooks/emit";

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
 *
 * When a "created" rule acts whatever it finds (its conditions hold on the new ticket's own
 * columns) and no webhook watches the ticket change, the rules are planned first, on the
 * ticket as it is about to be written (the requester is found or created, and the ticket's
 * ids taken, by a statement before), and the ticket is written once, as they leave it, with
 * their history, messages, tags and emails: it is never written twice (the rollups count it once).
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
  const f = input.followUp;
  // The follow-up comes after the first message (its own time; the ticket's last activity, snippet and counters are its).
  const fAt = f ? new Date(Math.max(Date.now(), at.getTime())) : at;
  const base: Omit<Statement, "tagIds"> = { input, at, now, fAt, subject, status, priority, typeId, firstResponseAt, sla, events, customer: customerCte(input.customer, now) };
  /** The snapshot the rules look at: the ticket as written (or about to be), its requester, brand and tags. */
  const snapshotFor = (r: Pick<SnapshotRow, "id" | "number" | "cEmail" | "cName" | "cLanguage" | "cBlocked" | "bName" | "bLanguage" | "bSettings" | "hoursId" | "timezone" | "schedule" | "holidays" | "tagNames">, customerId: string, messageId: number) =>
    snapshotOf({
      ...r, subject, brandId: input.brandId, channel: input.channel, status, priority, typeId, topicId: input.topicId ?? null,
      groupId: input.groupId ?? null, assigneeId: input.assigneeId ?? null, customerId, language: input.language ?? input.customer.language ?? null,
      createdAt: at, updatedAt: fAt, lastCustomerAt: m.kind === "CUSTOMER" ? at : null, lastMessageAt: fAt, firstResponseAt, slaPolicyId: sla.fields?.slaPolicyId ?? null,
      lmId: m.kind === "CUSTOMER" ? messageId : null, lmText: m.kind === "CUSTOMER" ? m.text : null, lmAutomated: m.kind === "CUSTOMER" ? (m.automated ?? false) : null,
      lmEmailMessageId: m.kind === "CUSTOMER" ? (m.emailMessageId ?? null) : null,
    });

  if (forRules && !f && status !== "PENDING" && (await rulesActOnNewTicket(tx, known)) && !(await webhooksListen(tx, ["ticket.created", "ticket.updated", "message.created"]))) {
    const tagIds = input.tagIds ?? [];
    const [pre] = await tx.$queryRaw<(CustomerRow & Pick<SnapshotRow, "bName" | "bLanguage" | "bSettings" | "hoursId" | "timezone" | "schedule" | "holidays"> & { tags: { id: string; name: string }[] | null; tid: number; number: number; messageId: number })[]>`
      WITH ${base.customer}
      SELECT c.id, c.email, c.name, c.language, c.blocked,
             b.name AS "bName", b."defaultLanguage" AS "bLanguage", b.settings AS "bSettings", bh.id AS "hoursId", bh.timezone, bh.schedule, bh.holidays,
             ${tagIds.length ? Prisma.sql`(SELECT json_agg(json_build_object('id', id, 'name', name)) FROM "Tag" WHERE id = ANY(${tagIds}::text[]))` : Prisma.sql`NULL::json`} AS tags,
             nextval(pg_get_serial_sequence('"Ticket"', 'id'))::int AS tid, ${input.number === undefined ? nextTicketNumberSql : Prisma.sql`${input.number}::int`} AS number,
             nextval(pg_get_serial_sequence('"Message"', 'id'))::int AS "messageId"
      FROM c LEFT JOIN "Brand" b ON b.id = ${input.brandId} LEFT JOIN "BusinessHours" bh ON bh.id = b."businessHoursId"`;
    if (!pre) throw badRequest("That customer does not exist.", "customer");
    const tags = pre.tags ?? [];
    // As the other path, where the tag's foreign key refuses it: a tag that does not exist is an error, not dropped.
    if (tags.length !== new Set(tagIds).size) throw badRequest("A tag could not be found.", "tags");
    const given = snapshotFor({ ...pre, id: pre.tid, cEmail: pre.email, cName: pre.name, cLanguage: pre.language, cBlocked: pre.blocked, bName: pre.bName!, tagNames: tags.map((t) => t.name) }, pre.id, pre.messageId);
    const pass = await planNewTicketRules(tx, given);
    const rules = await newTicketWrite(tx, pass);
    const customer = { id: pre.id, email: pre.email, name: pre.name };
    const row = await insertTicket(tx, {
      ...base,
      // The requester as found or created by the statement before.
      customer: Prisma.sql`c AS (SELECT ${pre.id}::text AS id, ${pre.email}::text AS email, ${pre.name}::text AS name, ${pre.language}::text AS language, ${pre.blocked}::boolean AS blocked)`,
      ids: { tid: pre.tid, number: pre.number, messageId: pre.messageId },
      tagIds: tags.filter((t) => !rules?.removedTags.includes(t.name)).map((t) => t.id),
      rules,
    });
    // Nothing listens to the creation, its messages or changes (so nothing is announced).
    await afterNewTicketWrite(tx, pass, row);
    return { id: pre.tid, number: pre.number, brandId: input.brandId, customerId: pre.id, customer, messageId: pre.messageId, followUpId: null };
  }

  const row = await insertTicket(tx, { ...base, tagIds: input.tagIds ?? [], forRules });
  const customer = { id: row.id, email: row.email, name: row.name };
  const ticket = { id: row.tid, number: row.number, brandId: input.brandId, customerId: row.id };
  const message: NewMessage = { ...m, customerId: m.kind === "CUSTOMER" ? customer.id : null, createdAt: at };
  // Webhooks (nothing is read unless one listens), as addEvents would announce the creation.
  await emitMessageCreated(tx, ticket.id, { id: row.messageId, createdAt: at }, message);
  if (f) await emitMessageCreated(tx, ticket.id, { id: row.followUpId!, createdAt: fAt }, f);
  await emitWebhookEvent(tx, "ticket.created", async () => ({ ticket: await ticketPayload(tx, ticket.id), changes: events.map((e) => ({ type: e.type, from: e.from ?? null, to: e.to ?? null })) }));
  // The rules see the ticket as just written; those that cannot match it are ruled out without reading it back.
  const given = forRules
    ? snapshotFor({ ...row, id: row.tid, cEmail: row.email, cName: row.name, cLanguage: row.language, cBlocked: row.blocked, bName: row.bName!, tagNames: row.tagNames ?? [] }, customer.id, row.messageId)
    : undefined;
  await runRules(tx, ticket.id, "TICKET_CREATED", undefined, known, given);
  return { ...ticket, customer, messageId: row.messageId, followUpId: row.followUpId };
}

/** A Date as a timestamp literal in UTC (as a single Date parameter is sent), for arrays of them. */
const sqlTimestamp = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

type Statement = {
  input: NewTicket;
  at: Date;
  now: Date;
  fAt: Date;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  typeId: string | null;
  firstResponseAt: Date | null;
  sla: Awaited<ReturnType<typeof newTicketSla>>;
  events: EventInput[];
  /** The CTE(s) that end in "c": the requester. */
  customer: Prisma.Sql;
  tagIds: string[];
  /** Ids taken beforehand. */
  ids?: { tid: number; number: number; messageId: number };
  /** Return what the rules look at. */
  forRules?: boolean;
  /** A "created" pass planned before: the ticket is written as it leaves it, with its writes. */
  rules?: NewTicketWrite | null;
};

type Inserted = CustomerRow & {
  tid: number; number: number; messageId: number; followUpId: number | null;
  bName: string | null; bLanguage: string | null; bSettings: Prisma.JsonValue | null; hoursId: string | null; timezone: string | null; schedule: unknown; holidays: unknown; tagNames: string[] | null;
  ruleMessageIds: number[]; notify: null; mailHits: null; mailIds: number[];
};

/**
 * The statement that writes a ticket: the requester (CTE "c"), the row with what its first
 * message makes of it (what appendMessage would write next: counters, snippet, last customer
 * message, first response) and its search vector (subject and requester, as
 * rebuildSearchVector, and the messages' text), the message, tags, history, report events
 * and SLA checks; with a planned pass, the row as the rules leave it and their writes.
 * Data-modifying CTEs all run exactly once; foreign keys are checked at the statement's end.
 */
async function insertTicket(tx: Tx, o: Statement): Promise<Inserted> {
  const { input, at, now, fAt, subject, events } = o;
  const m = input.message;
  const f = input.followUp;
  const rules = o.rules ?? null;
  const sla = rules?.sla ?? o.sla;
  const actorId = input.actor.type === "USER" ? (input.actor.id ?? null) : null;
  const attachmentIds = m.attachmentIds ?? [];
  const t = rules?.row ?? { status: o.status, priority: o.priority, typeId: o.typeId, topicId: input.topicId ?? null, groupId: input.groupId ?? null, assigneeId: input.assigneeId ?? null, resolvedAt: null };
  const publicCount = (isPublic(m.kind) ? 1 : 0) + (f ? 1 : 0) + (rules?.publicMessages ?? 0);
  const snippet = rules?.snippet ?? (f ? snippetOf(f.text) : snippetOf(m.text));
  const texts = [m.text, ...(f?.text.trim() ? [f.text] : [])];
  // The creation's history, then the rules' (the actor RULE, at the time of their pass).
  const history = [
    ...events.map((e) => ({ ...e, actor: input.actor.type as string, actorId, at: now })),
    ...(rules?.events ?? []).map((e) => ({ ...e, actor: "RULE", actorId: null, at: rules!.at })),
  ];
  const ids = o.ids;
  const rows = await tx.$queryRaw<Inserted[]>`
    WITH ${o.customer},
    t AS (
      INSERT INTO "Ticket" (${ids ? Prisma.sql`id, number, ` : input.number === undefined ? Prisma.empty : Prisma.sql`number, `}"brandId", channel, subject, snippet, status, priority, "typeId", "topicId", "customerId", "assigneeId", "groupId", "mailboxId", language, "linkedToId",
                            "createdAt", "updatedAt", "lastMessageAt", "messageCount", "lastCustomerAt", "firstResponseAt", "resolvedAt",
                            "slaPolicyId", "slaPausedAt", "slaPauses", "firstResponseDueAt", "firstResponseWarnAt", "resolutionDueAt", "resolutionWarnAt", fields, "searchVector")
      SELECT ${ids ? Prisma.sql`${ids.tid}::int, ${ids.number}::int, ` : input.number === undefined ? Prisma.empty : Prisma.sql`${input.number}::int, `}${input.brandId}, ${input.channel}::"Channel", ${subject}, ${snippet}, ${t.status}::"TicketStatus", ${t.priority}::"Priority",
             ${t.typeId}::text, ${t.topicId}::text, c.id, ${t.assigneeId}::text, ${t.groupId}::text, ${input.mailboxId ?? null}::text,
             ${input.language ?? input.customer.language ?? null}::text, ${input.linkedToId ?? null}::int,
             ${at}::timestamp(3), ${rules?.updatedAt ?? fAt}::timestamp(3), ${rules?.lastMessageAt ?? fAt}::timestamp(3), ${publicCount}::int,
             ${m.kind === "CUSTOMER" ? at : null}::timestamp(3), ${o.firstResponseAt}::timestamp(3), ${t.resolvedAt}::timestamp(3),
             ${sla.fields?.slaPolicyId ?? null}::text, ${sla.fields?.slaPausedAt ?? null}::timestamp(3), ${JSON.stringify(sla.fields?.slaPauses ?? [])}::jsonb,
             ${sla.fields?.firstResponseDueAt ?? null}::timestamp(3), ${sla.fields?.firstResponseWarnAt ?? null}::timestamp(3),
             ${sla.fields?.resolutionDueAt ?? null}::timestamp(3), ${sla.fields?.resolutionWarnAt ?? null}::timestamp(3),
             ${JSON.stringify(input.fields ?? {})}::jsonb,
             to_tsvector('simple', ${subject} || ' ' || coalesce(c.name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(regexp_replace(c.email, '[@.]', ' ', 'g'), ''))
               || ${Prisma.join(texts.map((x) => Prisma.sql`to_tsvector('simple', left(${x}::text, ${MAX_TEXT}::int))`), " || ")}
               ${rules?.texts.length ? Prisma.sql`|| ${Prisma.join(rules.texts.map((x) => Prisma.sql`to_tsvector('simple', left(${x}::text, ${MAX_TEXT}::int))`), " || ")}` : Prisma.empty}
      FROM c
      RETURNING id, number),
    m AS (
      INSERT INTO "Message" (${ids ? Prisma.sql`id, ` : Prisma.empty}"ticketId", kind, html, text, "authorId", "customerId", subject, "fromAddress", "fromName", "to", cc, "emailMessageId", "inReplyTo", "references", "deliveryStatus", automated, "createdAt")
      SELECT ${ids ? Prisma.sql`${ids.messageId}::int, ` : Prisma.empty}t.id, ${m.kind}::"MessageKind", ${m.html}::text, ${m.text}::text, ${m.authorId ?? null}::text, ${m.kind === "CUSTOMER" ? Prisma.sql`c.id` : Prisma.sql`NULL::text`}, ${m.subject ?? null}::text,
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
    ${o.tagIds.length ? Prisma.sql`, tt AS (INSERT INTO "TicketTag" ("ticketId", "tagId") SELECT t.id, x FROM t, unnest(${o.tagIds}::text[]) AS x)` : Prisma.empty},
    e AS (
      INSERT INTO "TicketEvent" ("ticketId", "actorType", "actorId", type, "fromValue", "toValue", data, "createdAt")
      SELECT t.id, x.actor::"ActorType", x.actor_id, x.type::"TicketEventType", x.f, x.t, x.d::jsonb, x.at
      FROM t, unnest(${history.map((e) => e.actor)}::text[], ${history.map((e) => e.actorId)}::text[], ${history.map((e) => e.type)}::text[], ${history.map((e) => e.from ?? null)}::text[], ${history.map((e) => e.to ?? null)}::text[],
                     ${history.map((e) => (e.data === undefined ? null : JSON.stringify(e.data)))}::text[], ${history.map((e) => sqlTimestamp(e.at))}::timestamp(3)[])
           WITH ORDINALITY AS x(actor, actor_id, type, f, t, d, at, n)
      ORDER BY x.n),
    r AS (
      INSERT INTO "ReportEvent" (type, "brandId", "ticketId", "userId", "groupId", at)
      SELECT 'TICKET_CREATED'::"ReportEventType", ${input.brandId}, t.id, NULL, NULL, ${at}::timestamp(3) FROM t
      ${rules?.assigned.length ? Prisma.sql`UNION ALL SELECT 'ASSIGNED'::"ReportEventType", ${input.brandId}, t.id, x.u, x.g, ${rules.at}::timestamp(3) FROM t, unnest(${rules.assigned.map((a) => a.userId)}::text[], ${rules.assigned.map((a) => a.groupId)}::text[]) WITH ORDINALITY AS x(u, g, n)` : Prisma.empty})
    ${rules?.ctes.length ? Prisma.sql`, ${Prisma.join(rules.ctes, ",\n")}` : Prisma.empty}
    SELECT t.id AS tid, t.number, m.id AS "messageId", ${f ? Prisma.sql`(SELECT id FROM m2)` : Prisma.sql`NULL::int`} AS "followUpId", c.id, c.email, c.name, c.language, c.blocked,
           ${
             o.forRules
               ? Prisma.sql`b.name AS "bName", b."defaultLanguage" AS "bLanguage", b.settings AS "bSettings", bh.id AS "hoursId", bh.timezone, bh.schedule, bh.holidays, ${o.tagIds.length ? Prisma.sql`ARRAY(SELECT name FROM "Tag" WHERE id = ANY(${o.tagIds}::text[]))` : Prisma.sql`'{}'::text[]`} AS "tagNames"`
               : Prisma.sql`NULL AS "bName"`
           },
           ${sla.jobs(Prisma.sql`t.id`)}${rules ? Prisma.sql`, ${rules.select}` : Prisma.empty}
    FROM t CROSS JOIN c CROSS JOIN m
    ${o.forRules ? Prisma.sql`LEFT JOIN "Brand" b ON b.id = ${input.brandId} LEFT JOIN "BusinessHours" bh ON bh.id = b."businessHoursId"` : Prisma.empty}`;
  const row = rows[0];
  if (!row) throw badRequest("That customer does not exist.", "customer");
  return row;
}
