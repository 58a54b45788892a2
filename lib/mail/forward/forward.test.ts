import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { replyToTicket } from "@/lib/tickets/reply";
import { ticketDetail } from "@/lib/tickets/detail";
import { forwardTicket } from "@/lib/mail/forward/service";
import { deliverEmail } from "@/lib/mail/outgoing/deliver";
import { SmtpTransport } from "@/lib/mail/outgoing/transport";
import { getStorage } from "@/lib/storage";
import { startSmtpListener, type SmtpListener } from "@/lib/test/smtp-listener";

let acme = "";
let ben: CurrentUser;
let smtp: SmtpListener;
let transport: SmtpTransport;
const pdf = Buffer.from("%PDF-1.4\n" + "x".repeat(3000) + "\n%%EOF");

async function asUser(email: string) {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  return (await loadCurrentUser(db, u.id, u.sessionVersion))!;
}

async function deliver(messageId: number) {
  const log = await db.emailLog.findFirstOrThrow({ where: { messageId } });
  await deliverEmail(db, { emailLogId: log.id }, { attempt: 1, maxAttempts: 3, transport });
  return db.emailLog.findUniqueOrThrow({ where: { id: log.id } });
}

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  ben = await asUser("ben@acme.test");
  smtp = await startSmtpListener();
  transport = new SmtpTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true } as never);
});
afterAll(() => smtp?.close());

describe("forward a ticket (E8)", () => {
  it("sends the conversation without internal notes, with the thread's attachments, and records it on the ticket", async () => {
    const t = await db.$transaction((tx) =>
      createTicket(tx, { brandId: acme, channel: "EMAIL", subject: "Broken hinge", customer: { email: "hinge@example.com", name: "Hale" }, message: { kind: "CUSTOMER", html: "<p>The hinge snapped, invoice attached.</p>", text: "The hinge snapped, invoice attached.", fromAddress: "hinge@example.com", fromName: "Hale" }, actor: CUSTOMER }),
    );
    const first = await db.message.findFirstOrThrow({ where: { ticketId: t.id } });
    const stored = await getStorage().put(pdf, "invoice.pdf");
    await db.attachment.create({ data: { messageId: first.id, name: "invoice.pdf", contentType: "application/pdf", size: stored.size, sha256: stored.sha256, storageKey: stored.key } });
    await replyToTicket(db, ben, { number: t.number, kind: "NOTE", html: "<p>Internal: supplier is Hinge Co, do not tell</p>" });
    await replyToTicket(db, ben, { number: t.number, kind: "REPLY", html: "<p>Sorry about that, checking with the supplier.</p>" });

    const { messageId } = await forwardTicket(db, ben, { number: t.number, to: ["Supplier@Hinges.example", "qa@hinges.example"], note: "Can you replace this hinge?", includeAttachments: true });
    const log = await deliver(messageId);
    expect(log.status).toBe("SENT");
    expect(log.purpose).toBe("FORWARD");

    const got = await smtp.waitFor((m) => m.parsed.subject === "Fwd: Broken hinge");
    expect(got.envelope.to.sort()).toEqual(["qa@hinges.example", "supplier@hinges.example"]);
    expect(got.parsed.text).toContain("Can you replace this hinge?");
    expect(got.parsed.text).toContain("The hinge snapped, invoice attached.");
    expect(got.parsed.text).toContain("Sorry about that, checking with the supplier.");
    expect(got.parsed.text).toContain(`forwarded ticket #${t.number}`);
    expect(got.parsed.text).not.toContain("Hinge Co");
    expect(got.parsed.html || "").not.toContain("Hinge Co");
    expect(got.parsed.attachments.map((a) => a.filename)).toEqual(["invoice.pdf"]);
    expect(Buffer.compare(got.parsed.attachments[0]!.content, pdf)).toBe(0);

    const detail = await ticketDetail(db, ben, t.number);
    const fwd = detail.messages.find((m) => m.id === messageId)!;
    expect(fwd).toMatchObject({ kind: "FORWARD", to: ["supplier@hinges.example", "qa@hinges.example"], deliveryStatus: "SENT" });
    expect(fwd.text).toBe("Can you replace this hinge?");
  });

  it("without the option no file is attached; a blank subject takes the template's default", async () => {
    const t = await db.ticket.findFirstOrThrow({ where: { subject: "Broken hinge" } });
    const { messageId } = await forwardTicket(db, ben, { number: t.number, to: ["boss@example.com"], subject: "  ", includeAttachments: false });
    await deliver(messageId);
    const got = await smtp.waitFor((m) => m.envelope.to.includes("boss@example.com"));
    expect(got.parsed.subject).toBe("Fwd: Broken hinge");
    expect(got.parsed.attachments).toHaveLength(0);
  });

  it("refuses no recipients or an invalid one, and saves nothing", async () => {
    const t = await db.ticket.findFirstOrThrow({ where: { subject: "Broken hinge" } });
    const before = await db.message.count({ where: { ticketId: t.id } });
    await expect(forwardTicket(db, ben, { number: t.number, to: [], includeAttachments: false })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "to" });
    await expect(forwardTicket(db, ben, { number: t.number, to: ["ok@example.com", "not-an-address"], includeAttachments: false })).rejects.toThrow(/not-an-address/);
    expect(await db.message.count({ where: { ticketId: t.id } })).toBe(before);
  });

  it("an agent without access to the ticket's brand cannot forward it", async () => {
    const t = await db.ticket.findFirstOrThrow({ where: { subject: "Broken hinge" } });
    await expect(forwardTicket(db, { ...ben, brandIds: [] }, { number: t.number, to: ["x@example.com"], includeAttachments: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
