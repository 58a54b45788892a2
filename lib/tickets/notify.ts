import "server-only";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/messages";
import { enqueueEmails, type OutgoingEmail } from "@/lib/mail/outgoing/enqueue";
import { renderTemplate, templateDataSql, type TemplateData } from "@/lib/mail/templates/render";
import { Prisma } from "@/lib/generated/prisma/client";
import { settingValue } from "@/lib/settings/service";

type Recipient = { id: string; email: string; name: string; language: string };
type Ticket = { id: number; number: number; subject: string; customerId: string; brandId?: string };
type Change = { assigneeId: string | null; groupId: string | null; actorId: string | null; actorName: string };
export type AssignmentContext = { assignee: Recipient | null; brandId: string | null; brandName: string | null; groupName: string | null; customerFound: boolean; email: string | null; name: string | null; language: string | null; blocked: boolean | null; notifyCustomer: unknown; templates: TemplateData };

/** What notifyAssignment reads: the assignee, the group's and brand's names, the customer, the customer-notification setting and the emails' templates. */
function contextQuery(t: Ticket, change: Pick<Change, "groupId"> & { assigneeId: string | null | Prisma.Sql }) {
  return Prisma.sql`
    SELECT (SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'language', u.language) FROM "User" u WHERE u.id = ${change.assigneeId} AND u.active) AS assignee,
           x."brandId", (SELECT name FROM "Brand" WHERE id = x."brandId") AS "brandName",
           (SELECT name FROM "Group" WHERE id = ${change.groupId}) AS "groupName",
           (c.id IS NOT NULL) AS "customerFound", c.email, c.name, c.language, c.blocked,
           (SELECT value FROM "Setting" WHERE key = 'tickets.notifyCustomerOnAssign') AS "notifyCustomer",
           ${templateDataSql(Prisma.sql`x."brandId"`, ["assignment", "assignment_group", "assignment_customer"])} AS templates
    FROM (SELECT ${t.brandId !== undefined && t.brandId !== null ? Prisma.sql`${t.brandId}::text` : Prisma.sql`(SELECT "brandId" FROM "Ticket" WHERE id = ${t.id})`} AS "brandId") x
    LEFT JOIN "Customer" c ON c.id = ${t.customerId}`;
}

/**
 * The same as one JSON value, for a caller's statement to read along (passed back to
 * notifyAssignment as `read`); the assignee may be an expression of that statement.
 */
export function assignmentContextSql(t: Ticket, change: Pick<Change, "groupId"> & { assigneeId: string | null | Prisma.Sql }) {
  return Prisma.sql`(SELECT row_to_json(q) FROM (${contextQuery(t, change)}) q)`;
}

// The button's label per language (the messages are built in; a translator costs more than the rest of the email).
const labels = new Map<string, string>();
const actionLabel = (language: string) => {
  let label = labels.get(language);
  if (label === undefined) {
    label = translator(language, "emails")("assigned.action");
    if (labels.size < 100) labels.set(language, label);
  }
  return label;
};

/**
 * T9: the new assignee — or, when assigned to a group only, every member of that
 * group — is told by email; the customer too when the desk is set up so.
 * `read`: the context, when the caller's statement has read it (assignmentContextSql).
 */
export async function notifyAssignment(tx: Tx, t: Ticket, change: Change, read?: AssignmentContext) {
  await enqueueEmails(tx, await assignmentEmails(tx, t, change, read));
}

/** The emails notifyAssignment sends, rendered, for a caller to enqueue with others. */
export async function assignmentEmails(tx: Tx, t: Ticket, change: Change, read?: AssignmentContext): Promise<OutgoingEmail[]> {
  const emails: OutgoingEmail[] = [];
  const groupRecipients = change.assigneeId
    ? null
    : change.groupId
      ? await tx.user.findMany({ where: { active: true, groups: { some: { groupId: change.groupId } } }, select: { id: true, email: true, name: true, language: true } })
      : [];
  const url = `${env.APP_URL}/tickets/${t.number}`;
  const ctx = read ?? (await tx.$queryRaw<AssignmentContext[]>(contextQuery(t, change)))[0];
  const recipients: Recipient[] = groupRecipients ?? (ctx!.assignee ? [ctx!.assignee] : []);
  const group = change.groupId && ctx!.groupName !== null ? { name: ctx!.groupName } : null;
  const brandId = ctx!.brandId ?? null;
  const customer = ctx!.customerFound ? { email: ctx!.email, name: ctx!.name, language: ctx!.language, blocked: ctx!.blocked ?? false } : null;
  const ticketVars = { "ticket.number": t.number, "ticket.subject": t.subject, "customer.name": customer?.name, "customer.email": customer?.email, "brand.name": brandId ? (ctx!.brandName ?? undefined) : "" };
  for (const r of recipients) {
    if (r.id === change.actorId) continue; // no email for assigning something to yourself
    // Agents get the template in their own language.
    const mail = await renderTemplate(tx, {
      key: change.assigneeId ? "assignment" : "assignment_group",
      language: r.language,
      brandId,
      vars: { ...ticketVars, "agent.name": r.name, "actor.name": change.actorName, "group.name": group?.name ?? "" },
      action: { label: actionLabel(r.language), url },
      data: ctx!.templates,
    });
    emails.push({ to: [r.email], purpose: "NOTIFICATION", subject: mail.subject, html: mail.html, text: mail.text, ticketId: t.id, headers: { "Auto-Submitted": "auto-generated" } });
  }
  if (change.assigneeId && settingValue("tickets.notifyCustomerOnAssign", ctx!.notifyCustomer)) {
    const agent = await tx.user.findUnique({ where: { id: change.assigneeId }, select: { name: true } });
    if (customer?.email && !customer.blocked && agent) {
      const mail = await renderTemplate(tx, { key: "assignment_customer", language: customer.language, brandId, vars: { ...ticketVars, "agent.name": agent.name }, data: ctx!.templates });
      emails.push({ to: [customer.email], purpose: "NOTIFICATION", subject: mail.subject, html: mail.html, text: mail.text, ticketId: t.id, headers: { "Auto-Submitted": "auto-generated" } });
    }
  }
  return emails;
}
