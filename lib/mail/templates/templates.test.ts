import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { createTicket } from "@/lib/tickets/create";
import { CUSTOMER } from "@/lib/tickets/actor";
import { replyToTicket } from "@/lib/tickets/reply";
import { updateTicket } from "@/lib/tickets/update";
import { getTemplate, previewTemplate, resetTemplate, saveAppearance, saveTemplate } from "@/lib/mail/templates/admin";
import { renderTemplate } from "@/lib/mail/templates/render";
import { inviteUser } from "@/lib/users/admin";

let acme = "";
let admin: CurrentUser;
let ben: CurrentUser;

async function asUser(email: string) {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  return (await loadCurrentUser(db, u.id, u.sessionVersion))!;
}

async function ticketFor(email: string, language: string | null, subject: string) {
  const t = await db.$transaction((tx) =>
    createTicket(tx, { brandId: acme, channel: "EMAIL", subject, customer: { email, name: "Deniz" }, message: { kind: "CUSTOMER", html: "<p>Merhaba</p>", text: "Merhaba", fromAddress: email, emailMessageId: `${subject.replace(/\W/g, "")}@example.com` }, actor: CUSTOMER }),
  );
  await db.customer.update({ where: { email }, data: { language } });
  return t;
}

async function replyMail(number: number, html: string) {
  const { messageId } = await replyToTicket(db, ben, { number, kind: "REPLY", html });
  return db.emailLog.findFirstOrThrow({ where: { messageId } });
}

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  admin = await asUser("admin@acme.test");
  ben = await asUser("ben@acme.test");
});

describe("templates per language (E11)", () => {
  it("the customer's language picks the template for replies; reset brings the default back", async () => {
    const tr = await ticketFor("deniz@example.com.tr", "tr", "Kargo gecikti");
    const en = await ticketFor("dana@example.com", "en", "Parcel late");
    await saveTemplate(db, admin.brandIds, { brandId: acme, key: "agent_reply", language: "tr", subject: "Yanıt: {{ticket.subject}}", body: "Sayın {{customer.name}},\n\n{{message.body}}\n\nSaygılarımızla, {{agent.name}} — {{brand.name}}" });

    const trMail = await replyMail(tr.number, "<p>Kargonuz <b>yolda</b>.</p>");
    expect(trMail.subject).toBe(`Re: Yanıt: Kargo gecikti [#${tr.number}]`);
    expect(trMail.text).toContain("Sayın Deniz,");
    expect(trMail.text).toContain("Kargonuz yolda.");
    expect(trMail.text).toContain(`Saygılarımızla, ${ben.name} — Acme`);
    expect(trMail.html).toContain("<p>Kargonuz <b>yolda</b>.</p>");

    const enMail = await replyMail(en.number, "<p>It ships today.</p>");
    expect(enMail.subject).toBe(`Re: Parcel late [#${en.number}]`);
    expect(enMail.text).not.toContain("Sayın");
    expect(enMail.text).toContain("It ships today.");

    const back = await resetTemplate(db, admin.brandIds, { brandId: acme, key: "agent_reply", language: "tr" });
    expect(back.custom).toBe(false);
    const again = await replyMail(tr.number, "<p>Teslim edildi.</p>");
    expect(again.subject).toBe(`Re: Kargo gecikti [#${tr.number}]`);
    expect(again.text).not.toContain("Sayın");
  });

  it("notifications use the recipient's language; defaults follow the message catalogue", async () => {
    const t = await ticketFor("notify@example.com", "en", "Invoice copy");
    await db.user.update({ where: { email: "ben@acme.test" }, data: { language: "tr" } });
    const admin2 = await asUser("admin@acme.test");
    await updateTicket(db, admin2, { number: t.number, patch: { assigneeId: ben.id } });
    const mail = await db.emailLog.findFirstOrThrow({ where: { purpose: "NOTIFICATION", to: { has: "ben@acme.test" }, ticketId: t.id } });
    expect(mail.subject).toBe(`[#${t.number}] Invoice copy size atandı`);
    expect(mail.text).toContain("Talebi aç:");
    await db.user.update({ where: { email: "ben@acme.test" }, data: { language: "en" } });
  });

  it("refuses placeholders the template does not offer, naming the available ones", async () => {
    await expect(saveTemplate(db, admin.brandIds, { brandId: acme, key: "auto_reply", language: "en", subject: "Hi", body: "{{agent.name}} {{ticket.secret}}" })).rejects.toThrow(/Unknown placeholders \{\{agent\.name\}\}, \{\{ticket\.secret\}\}.*\{\{ticket\.number\}\}/);
    expect((await getTemplate(db, admin.brandIds, { brandId: acme, key: "auto_reply", language: "en" })).custom).toBe(false);
  });

  it("preview shows unsaved text with sample values, the brand's header, signature and colour", async () => {
    await saveAppearance(db, admin.brandIds, acme, { headerText: "Acme Support", signature: "Acme Inc · Istanbul", color: "#dc2626", senderName: "Acme Help" });
    const p = await previewTemplate(db, admin.brandIds, admin, { brandId: acme, key: "auto_reply", language: "en", subject: "Got it: {{ticket.subject}}", body: "Hi {{customer.name}} <3\n\nTicket #{{ticket.number}}" });
    expect(p.subject).toBe("Got it: Order arrived damaged");
    expect(p.html).toContain("Acme Support");
    expect(p.html).toContain("Acme Inc · Istanbul");
    expect(p.html).toContain("#dc2626");
    expect(p.html).toContain("Hi Pat Customer &lt;3");
    expect(p.text).toContain("Ticket #1042");
    // Nothing was saved by previewing.
    expect((await getTemplate(db, admin.brandIds, { brandId: acme, key: "auto_reply", language: "en" })).custom).toBe(false);
  });

  it("a brand the admin cannot see is refused", async () => {
    await expect(getTemplate(db, ["other"], { brandId: acme, key: "invite", language: "en" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("placeholders are escaped in HTML; a missing language falls back to the brand's", async () => {
    const r = await renderTemplate(db, { key: "assignment_customer", language: null, brandId: acme, vars: { "ticket.number": 7, "ticket.subject": "<script>x</script>", "customer.name": "A & B", "agent.name": "Ben" } });
    expect(r.language).toBe("en");
    expect(r.html).not.toContain("<script>x");
    expect(r.html).toContain("&lt;script&gt;");
    expect(r.text).toContain("Hello A & B,");
  });

  it("account emails are desk-wide: an invitation edited from any brand is the one sent", async () => {
    await saveTemplate(db, admin.brandIds, { brandId: acme, key: "invite", language: "en", subject: "Join {{inviter.name}} on the desk", body: "Hi {{user.name}},\n\n{{button}}" });
    const role = await db.role.findFirstOrThrow({ where: { name: "Agent" }, select: { id: true } });
    await inviteUser(db, admin, { email: "new.hire@example.com", name: "New Hire", roleId: role.id, groupIds: [], language: "en" });
    const mail = await db.emailLog.findFirstOrThrow({ where: { to: { has: "new.hire@example.com" } } });
    expect(mail.subject).toBe(`Join ${admin.name} on the desk`);
    expect(mail.text).toContain("Hi New Hire,");
    expect(mail.text).toMatch(/\/auth\/invite\?token=/);
    await resetTemplate(db, admin.brandIds, { brandId: acme, key: "invite", language: "en" });
    expect(await db.template.count({ where: { key: "invite" } })).toBe(0);
  });
});
