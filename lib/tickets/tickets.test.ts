import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { receiveCustomerMessage } from "@/lib/tickets/customer-message";
import { updateTicket } from "@/lib/tickets/update";
import { replyToTicket } from "@/lib/tickets/reply";
import { moveTickets, purgeTickets } from "@/lib/tickets/state";
import { mergeTickets, splitMessage } from "@/lib/tickets/merge";
import { bulkUpdate } from "@/lib/tickets/bulk";
import { listTickets } from "@/lib/tickets/list";
import { ticketFilterSchema, filtersFromParams, type TicketFilters } from "@/lib/tickets/filters";
import { setSetting } from "@/lib/settings/service";
import { getStorage } from "@/lib/storage";
import { createAgentTicket } from "@/lib/tickets/agent-create";

let ben: CurrentUser;
let ayse: CurrentUser;
let acme = "";

async function asUser(email: string) {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  return (await loadCurrentUser(db, u.id, u.sessionVersion))!;
}

async function newTicket(subject: string, body: string, customerEmail = "pat@example.com", name = "Pat Customer") {
  return db.$transaction((tx) =>
    createTicket(tx, {
      brandId: acme,
      channel: "EMAIL",
      subject,
      customer: { email: customerEmail, name },
      message: { kind: "CUSTOMER", html: `<p>${body}</p>`, text: body, fromAddress: customerEmail, emailMessageId: `${subject.replace(/\W/g, "")}-${Date.now()}@mail.example.com` },
      actor: CUSTOMER,
    }),
  );
}

const filters = (f: Partial<TicketFilters>) => ticketFilterSchema.parse(f);
const list = (user: CurrentUser, f: Partial<TicketFilters>, cursor?: Parameters<typeof listTickets>[1]["cursor"], limit = 50) =>
  listTickets(db, { filters: filters(f), userId: user.id, brandIds: user.brandIds, cursor, limit });

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  ben = await asUser("ben@acme.test");
  ayse = await asUser("ayse@acme.test");
});

describe("creating a ticket", () => {
  it("finds the requester by address in any case and fills a missing name; a new address is a new customer", async () => {
    await db.customer.create({ data: { email: "nameless@example.com" } });
    const a = await newTicket("First from nameless", "Hello", "Nameless@Example.com ", "Nora Nameless");
    expect(a.customer).toMatchObject({ email: "nameless@example.com", name: "Nora Nameless" });
    expect((await db.customer.findUniqueOrThrow({ where: { email: "nameless@example.com" }, select: { name: true } })).name).toBe("Nora Nameless");
    // A name is filled, never replaced.
    const b = await newTicket("Second from nameless", "Again", "nameless@example.com", "Someone Else");
    expect(b.customer).toEqual(a.customer);
    expect((await db.customer.findUniqueOrThrow({ where: { email: "nameless@example.com" }, select: { name: true } })).name).toBe("Nora Nameless");

    const c = await newTicket("From a newcomer", "Hi there", "newcomer@example.com", "Nia Newcomer");
    const stored = await db.ticket.findUniqueOrThrow({ where: { id: c.id }, select: { customerId: true, messageCount: true, snippet: true, messages: { select: { id: true, customerId: true, text: true } }, events: { select: { type: true, toValue: true } } } });
    expect(stored).toMatchObject({ customerId: c.customer.id, messageCount: 1, snippet: "Hi there", messages: [{ id: c.messageId, customerId: c.customer.id, text: "Hi there" }], events: [{ type: "CREATED", toValue: "EMAIL" }] });
    expect(await db.customer.count({ where: { email: "newcomer@example.com" } })).toBe(1);
  });

  it("takes a customer by id, and refuses an unknown one without storing anything", async () => {
    const known = await db.customer.create({ data: { email: "by-id@example.com", name: "Ida" }, select: { id: true } });
    const create = (id: string) =>
      db.$transaction((tx) => createTicket(tx, { brandId: acme, channel: "AGENT", subject: "By id", customer: { id }, message: { kind: "NOTE", html: null, text: "Called in" }, actor: CUSTOMER }));
    const t = await create(known.id);
    expect(t.customer).toEqual({ id: known.id, email: "by-id@example.com", name: "Ida" });
    const before = await db.ticket.count();
    await expect(create("no-such-customer")).rejects.toThrow("That customer does not exist.");
    expect(await db.ticket.count()).toBe(before);
  });

  it("two tickets from a new address at once share one new customer", async () => {
    const [a, b] = await Promise.all([newTicket("Race one", "One", "racer@example.com", "Rae"), newTicket("Race two", "Two", "racer@example.com", "Rae")]);
    expect(a.customer.id).toBe(b.customer.id);
    expect(await db.customer.count({ where: { email: "racer@example.com" } })).toBe(1);
  });
});

describe("statuses (T5)", () => {
  it("a customer reply reopens a Pending ticket; Closed is final and a later message opens a linked ticket", async () => {
    const t = await newTicket("Printer on fire", "It is on fire.");
    await updateTicket(db, ben, { number: t.number, patch: { status: "PENDING" } });
    const r1 = await db.$transaction((tx) => receiveCustomerMessage(tx, t.id, { html: null, text: "Still burning" }));
    expect(r1).toMatchObject({ ticketId: t.id, reopened: true, created: false });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("OPEN");

    await updateTicket(db, ben, { number: t.number, patch: { status: "CLOSED" } });
    const reopen = await updateTicket(db, ben, { number: t.number, patch: { status: "OPEN" } }).catch((e) => e);
    expect(reopen).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Closed tickets are final") });

    const r2 = await db.$transaction((tx) => receiveCustomerMessage(tx, t.id, { html: null, text: "Hello again, new problem", subject: "Re: Printer on fire" }));
    expect(r2.created).toBe(true);
    const linked = await db.ticket.findUniqueOrThrow({ where: { id: r2.ticketId } });
    expect(linked.linkedToId).toBe(t.id);
    expect(linked.status).toBe("OPEN");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("CLOSED");
    expect(await db.message.count({ where: { ticketId: t.id } })).toBe(2);
  });

  it("when the setting requires it, resolving needs a topic", async () => {
    const t = await newTicket("Needs topic", "Body");
    await setSetting(db, "tickets.requireTopicToResolve", true);
    try {
      const err = await updateTicket(db, ben, { number: t.number, patch: { status: "RESOLVED" } }).catch((e) => e);
      expect(err).toMatchObject({ code: "BAD_REQUEST", field: "topicId" });
      const topic = await db.topic.findFirstOrThrow();
      await updateTicket(db, ben, { number: t.number, patch: { status: "RESOLVED", topicId: topic.id } });
      const after = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
      expect(after.status).toBe("RESOLVED");
      expect(after.resolvedAt).not.toBeNull();
    } finally {
      await setSetting(db, "tickets.requireTopicToResolve", false);
    }
  });

  it("two agents changing the same field: the last write wins and both changes are in the history", async () => {
    const t = await newTicket("Race", "Body");
    await updateTicket(db, ben, { number: t.number, patch: { priority: "HIGH" } });
    await updateTicket(db, ayse, { number: t.number, patch: { priority: "LOW" } });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).priority).toBe("LOW");
    const events = await db.ticketEvent.findMany({ where: { ticketId: t.id, type: "PRIORITY" }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.actorId, e.fromValue, e.toValue])).toEqual([
      [ben.id, "MEDIUM", "HIGH"],
      [ayse.id, "HIGH", "LOW"],
    ]);
  });

  it("an unknown ticket number or one of another brand is not found", async () => {
    await expect(updateTicket(db, ben, { number: 99_999_999, patch: { priority: "HIGH" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const globex = await db.brand.findUniqueOrThrow({ where: { slug: "globex" } });
    const other = await db.ticket.findFirstOrThrow({ where: { brandId: globex.id } });
    // Ayşe works only on Acme.
    await expect(updateTicket(db, ayse, { number: other.number, patch: { priority: "HIGH" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("replies and notes (T7, T8)", () => {
  it("a reply is emailed with threading headers and the subject token; Send & mark Pending sets the status", async () => {
    const t = await newTicket("Refund please", "Where is my refund?", "refund@example.com");
    const original = await db.message.findFirstOrThrow({ where: { ticketId: t.id } });
    await replyToTicket(db, ben, { number: t.number, kind: "REPLY", html: "<p>Refund <b>issued</b><script>alert(1)</script></p>", cc: ["boss@example.com"], status: "PENDING" });
    const reply = await db.message.findFirstOrThrow({ where: { ticketId: t.id, kind: "REPLY" } });
    expect(reply.html).toBe("<p>Refund <b>issued</b></p>");
    expect(reply.to).toEqual(["refund@example.com"]);
    expect(reply.cc).toEqual(["boss@example.com"]);
    const mail = await db.emailLog.findFirstOrThrow({ where: { messageId: reply.id } });
    expect(mail.subject).toBe(`Re: Refund please [#${t.number}]`);
    expect(mail.to).toEqual(["refund@example.com"]);
    expect(mail.emailMessageId).toBe(reply.emailMessageId);
    const headers = mail.headers as Record<string, string>;
    expect(headers["In-Reply-To"]).toBe(`<${original.emailMessageId}>`);
    expect(headers.References).toBe(`<${original.emailMessageId}>`);
    const after = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(after.status).toBe("PENDING");
    expect(after.firstResponseAt).toEqual(reply.createdAt);
  });

  it("an internal note is never emailed and does not count as a first response", async () => {
    const t = await newTicket("Note only", "Question");
    const before = await db.emailLog.count();
    await replyToTicket(db, ben, { number: t.number, kind: "NOTE", html: "<p>Internal: check the logs</p>" });
    expect(await db.emailLog.count()).toBe(before);
    const after = await db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(after.firstResponseAt).toBeNull();
    expect(after.messageCount).toBe(1);
  });

  it("assigning to a group emails every member except the one who assigned", async () => {
    const t = await newTicket("Group assign", "Body");
    const billing = await db.group.findUniqueOrThrow({ where: { name: "Billing" }, select: { id: true, members: { select: { user: { select: { email: true } } } } } });
    const before = await db.emailLog.findMany({ where: { purpose: "NOTIFICATION" }, select: { id: true } });
    await updateTicket(db, ayse, { number: t.number, patch: { groupId: billing.id } });
    const sent = await db.emailLog.findMany({ where: { purpose: "NOTIFICATION", id: { notIn: before.map((b) => b.id) } } });
    expect(sent.flatMap((s) => s.to).sort()).toEqual(billing.members.map((m) => m.user.email).sort());
    expect(sent[0]!.subject).toContain(`[#${t.number}]`);
  });
});

describe("spam, trash and purge (T11)", () => {
  it("trash → restore → trash → purge removes the rows and the stored attachment files", async () => {
    const t = await newTicket("With attachment", "See attached");
    const stored = await getStorage().put(Buffer.from("%PDF-1.4 test"), "invoice.pdf");
    const msg = await db.message.findFirstOrThrow({ where: { ticketId: t.id } });
    await db.attachment.create({ data: { messageId: msg.id, name: "invoice.pdf", contentType: "application/pdf", size: stored.size, sha256: stored.sha256, storageKey: stored.key } });
    const file = path.resolve(env.STORAGE_DIR, stored.key);
    expect(existsSync(file)).toBe(true);

    await expect(purgeTickets(db, ben, { ticketIds: [t.id] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await moveTickets(db, ben, { ticketIds: [t.id], state: "TRASH" });
    await moveTickets(db, ben, { ticketIds: [t.id], state: "ACTIVE" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("ACTIVE");
    await moveTickets(db, ben, { ticketIds: [t.id], state: "TRASH" });
    const types = (await db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types).toEqual(["CREATED", "TRASH", "RESTORE", "TRASH"]);

    await purgeTickets(db, ben, { ticketIds: [t.id] });
    expect(await db.ticket.findUnique({ where: { id: t.id } })).toBeNull();
    expect(await db.message.count({ where: { ticketId: t.id } })).toBe(0);
    expect(await db.attachment.count({ where: { storageKey: stored.key } })).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it("the scheduled purge removes only trash older than the retention period", async () => {
    const old = await newTicket("Old trash", "x");
    const recent = await newTicket("Recent trash", "x");
    await moveTickets(db, ben, { ticketIds: [old.id, recent.id], state: "TRASH" });
    await db.ticket.update({ where: { id: old.id }, data: { stateChangedAt: new Date(Date.now() - 31 * 86400_000) } });
    const { purgeExpiredTrash } = await import("@/lib/tickets/state");
    const r = await purgeExpiredTrash(db, 30);
    expect(r.purged).toBe(1);
    expect(await db.ticket.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.ticket.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });

  it("marking spam can block the sender", async () => {
    const t = await newTicket("Cheap pills", "Buy now", "spammer@spam.example");
    await moveTickets(db, ben, { ticketIds: [t.id], state: "SPAM", blockSender: true });
    expect((await db.customer.findUniqueOrThrow({ where: { email: "spammer@spam.example" } })).blocked).toBe(true);
    const spam = await list(ben, { folder: "spam" });
    expect(spam.items.map((i) => i.id)).toContain(t.id);
    expect((await list(ben, {})).items.map((i) => i.id)).not.toContain(t.id);
  });
});

describe("merge and split (T13)", () => {
  it("merging moves messages, attachments and history; the merged ticket points to its target", async () => {
    const a = await newTicket("Merge A", "First problem", "merge@example.com");
    const b = await newTicket("Merge B", "Same problem again", "merge@example.com");
    const msgB = await db.message.findFirstOrThrow({ where: { ticketId: b.id } });
    const stored = await getStorage().put(Buffer.from("x"), "x.txt");
    const att = await db.attachment.create({ data: { messageId: msgB.id, name: "x.txt", contentType: "text/plain", size: 1, sha256: stored.sha256, storageKey: stored.key } });
    await updateTicket(db, ben, { number: b.number, patch: { priority: "HIGH" } });

    await mergeTickets(db, ben, { sourceNumber: b.number, targetNumber: a.number });
    const target = await db.ticket.findUniqueOrThrow({ where: { id: a.id } });
    const source = await db.ticket.findUniqueOrThrow({ where: { id: b.id } });
    expect(source.mergedIntoId).toBe(a.id);
    expect(target.messageCount).toBe(2);
    expect(await db.message.count({ where: { ticketId: a.id } })).toBe(2);
    expect((await db.attachment.findUniqueOrThrow({ where: { id: att.id }, select: { message: { select: { ticketId: true } } } })).message!.ticketId).toBe(a.id);
    const targetEvents = (await db.ticketEvent.findMany({ where: { ticketId: a.id } })).map((e) => e.type);
    expect(targetEvents).toEqual(expect.arrayContaining(["PRIORITY", "MERGED_FROM"]));
    // The merged ticket no longer shows in the inbox, and search finds its text on the target.
    const found = await list(ben, { q: "again" });
    expect(found.items.map((i) => i.id)).toContain(a.id);
    expect(found.items.map((i) => i.id)).not.toContain(b.id);
  });

  it("tickets of different customers cannot be merged", async () => {
    const a = await newTicket("C1", "x", "one@example.com");
    const b = await newTicket("C2", "y", "two@example.com");
    await expect(mergeTickets(db, ben, { sourceNumber: b.number, targetNumber: a.number })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("splitting a message makes a new ticket for the same customer", async () => {
    const t = await newTicket("Two questions", "Question one");
    await db.$transaction((tx) => receiveCustomerMessage(tx, t.id, { html: null, text: "Unrelated question two" }));
    const second = await db.message.findFirstOrThrow({ where: { ticketId: t.id, text: "Unrelated question two" } });
    const { number } = await splitMessage(db, ben, { number: t.number, messageId: second.id });
    const created = await db.ticket.findUniqueOrThrow({ where: { number } });
    expect(created.customerId).toBe(t.customerId);
    expect(await db.message.count({ where: { ticketId: created.id } })).toBe(1);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: t.id } })).messageCount).toBe(1);
  });
});

describe("bulk actions (T4)", () => {
  it("updates a selection with one history event per changed ticket, and skips Closed for status", async () => {
    const ts = await Promise.all([1, 2, 3].map((i) => newTicket(`Bulk ${i}`, "b")));
    await updateTicket(db, ben, { number: ts[2]!.number, patch: { status: "CLOSED" } });
    const r = await bulkUpdate(db, ben, { ticketIds: ts.map((t) => t.id), action: { type: "status", status: "RESOLVED" } });
    expect(r).toEqual({ matched: 3, changed: 2, skipped: 1 });
    for (const t of ts.slice(0, 2)) {
      expect(await db.ticketEvent.count({ where: { ticketId: t.id, type: "STATUS", toValue: "RESOLVED" } })).toBe(1);
    }
  });

  it("is atomic: an invalid value changes nothing at all", async () => {
    const ts = await Promise.all([1, 2].map((i) => newTicket(`Atomic ${i}`, "b")));
    const eventsBefore = await db.ticketEvent.count();
    await expect(bulkUpdate(db, ben, { ticketIds: ts.map((t) => t.id), action: { type: "assign", assigneeId: "no-such-user" } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.ticketEvent.count()).toBe(eventsBefore);
    expect((await db.ticket.findMany({ where: { id: { in: ts.map((t) => t.id) } } })).every((t) => t.assigneeId === null)).toBe(true);
  });

  it("acts on all tickets matching a filter", async () => {
    await Promise.all([1, 2, 3].map((i) => newTicket(`Zebrafish ${i}`, "striped")));
    const r = await bulkUpdate(db, ben, { filters: filters({ q: "zebrafish" }), action: { type: "tags", add: ["aquarium"], remove: [] } });
    expect(r.changed).toBe(3);
    expect((await list(ben, { tags: ["aquarium"] })).items).toHaveLength(3);
  });
});

describe("inbox list, filters and search (T2, T3)", () => {
  it("full-text search finds Turkish text regardless of case: “şikayet” finds “Şikayet”", async () => {
    const t = await newTicket("Şikayet: kargo gecikti", "Siparişim İstanbul'a hâlâ ulaşmadı", "musteri@example.com.tr", "Müşteri Çağlar");
    expect((await list(ben, { q: "şikayet" })).items.map((i) => i.id)).toContain(t.id);
    expect((await list(ben, { q: "istanbul" })).items.map((i) => i.id)).toContain(t.id);
    expect((await list(ben, { q: "çağlar" })).items.map((i) => i.id)).toContain(t.id);
    expect((await list(ben, { q: "musteri" })).items.map((i) => i.id)).toContain(t.id);
    expect((await list(ben, { q: String(t.number) })).items.map((i) => i.id)).toEqual([t.id]);
  });

  it("combined filters narrow down, and keyset pages cover everything exactly once", async () => {
    const mine = await newTicket("Mine high", "x");
    await updateTicket(db, ben, { number: mine.number, patch: { priority: "HIGHEST", status: "PENDING" } });
    await db.ticket.update({ where: { id: mine.id }, data: { assigneeId: ben.id } });
    const r = await list(ben, { assignee: "me", priority: ["HIGHEST"], status: ["PENDING"] });
    expect(r.items.map((i) => i.id)).toContain(mine.id);
    expect(r.items.every((i) => i.assignee?.id === ben.id && i.priority === "HIGHEST" && i.status === "PENDING")).toBe(true);

    for (const sort of ["updated", "created", "priority"] as const) {
      const all = await list(ben, { sort }, null, 1000);
      const seen: number[] = [];
      let cursor = null as Awaited<ReturnType<typeof list>>["nextCursor"];
      do {
        const page = await list(ben, { sort }, cursor, 7);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.items.map((i) => i.id));
    }
  });

  it("a short created-date range lists exactly the tickets created in it, newest update first, across pages", async () => {
    const old = await newTicket("Created long ago", "x");
    const inRange = [await newTicket("In range A", "x"), await newTicket("In range B", "x"), await newTicket("In range C", "x")];
    await db.ticket.update({ where: { id: old.id }, data: { createdAt: new Date("2026-03-01T12:00:00Z") } });
    for (const [i, t] of inRange.entries()) {
      await db.ticket.update({ where: { id: t.id }, data: { createdAt: new Date(`2026-03-1${i}T12:00:00Z`), updatedAt: new Date(`2026-04-0${3 - i}T12:00:00Z`) } });
    }
    const filters = { createdFrom: "2026-03-10", createdTo: "2026-03-20" };
    const first = await list(ben, filters, null, 2);
    const second = await list(ben, filters, first.nextCursor, 2);
    expect([...first.items, ...second.items].map((i) => i.subject)).toEqual(["In range A", "In range B", "In range C"]);
    expect(second.nextCursor).toBeNull();
  });

  it("invalid filter values in the URL are dropped with a clear message", () => {
    const { filters: f, errors } = filtersFromParams({ status: "OPEN,WHATEVER", minMessages: "-3", createdFrom: "2026-13-45", folder: "spam", q: "hello" });
    expect(f.folder).toBe("spam");
    expect(f.q).toBe("hello");
    expect(f.status).toBeUndefined();
    expect(errors).toHaveLength(3);
    expect(errors.join("\n")).toMatch(/status=OPEN,WHATEVER/);
  });

  it("a ticket updated since the agent last read it is marked unread", async () => {
    const t = await newTicket("Unread marker", "x");
    const { ticketDetail } = await import("@/lib/tickets/detail");
    expect((await list(ben, { q: "marker" })).items.find((i) => i.id === t.id)?.unread).toBe(true);
    await ticketDetail(db, ben, t.number);
    expect((await list(ben, { q: "marker" })).items.find((i) => i.id === t.id)?.unread).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    await db.$transaction((tx) => receiveCustomerMessage(tx, t.id, { html: null, text: "one more thing" }));
    expect((await list(ben, { q: "marker" })).items.find((i) => i.id === t.id)?.unread).toBe(true);
  });
});

describe("agent-created tickets (T16)", () => {
  it("creates a ticket for a new customer and emails them when asked", async () => {
    const { number } = await createAgentTicket(db, ben, { brandId: acme, customer: { email: "caller@example.com", name: "Phone Caller" }, subject: "Called about delivery", html: "<p>We'll ship tomorrow.</p>", sendEmail: true });
    const t = await db.ticket.findUniqueOrThrow({ where: { number }, include: { customer: true } });
    expect(t.channel).toBe("AGENT");
    expect(t.customer.email).toBe("caller@example.com");
    expect(t.assigneeId).toBe(ben.id);
    const mail = await db.emailLog.findFirstOrThrow({ where: { ticketId: t.id } });
    expect(mail.to).toEqual(["caller@example.com"]);
    expect(mail.subject).toBe(`Called about delivery [#${number}]`);
  });
});
