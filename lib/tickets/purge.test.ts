import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedDemo } from "@/lib/seed/demo";
import { loadCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { moveTickets, purgeExpiredTrash, purgeTickets } from "@/lib/tickets/state";
import { mergeTickets } from "@/lib/tickets/merge";
import { getStorage } from "@/lib/storage";
import { customerEmailTicket } from "@/lib/tickets/test-tickets";

let ben: CurrentUser;
let acme = "";

const newTicket = (subject: string, email = "purge@example.com") => customerEmailTicket(db, { brandId: acme, subject, email, name: "Purge Person" });

async function attachFile(ticketId: number, name: string) {
  const stored = await getStorage().put(Buffer.from(`%PDF-1.4 ${name}`), name);
  const msg = await db.message.findFirstOrThrow({ where: { ticketId }, select: { id: true } });
  await db.attachment.create({ data: { messageId: msg.id, name, contentType: "application/pdf", size: stored.size, sha256: stored.sha256, storageKey: stored.key } });
  return path.resolve(env.STORAGE_DIR, stored.key);
}

const exists = async (id: number) => (await db.ticket.count({ where: { id } })) > 0;

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  const u = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" } });
  ben = (await loadCurrentUser(db, u.id, u.sessionVersion))!;
});

describe("the scheduled trash purge (T11)", () => {
  it("works through a backlog larger than one batch in a single run, leaving recent trash alone", async () => {
    const old = await Promise.all(Array.from({ length: 7 }, (_, i) => newTicket(`Old trash ${i}`)));
    const recent = await newTicket("Recent trash");
    const files = await Promise.all(old.slice(0, 2).map((t, i) => attachFile(t.id, `old-${i}.pdf`)));
    await moveTickets(db, ben, { ticketIds: [...old.map((t) => t.id), recent.id], state: "TRASH" });
    await db.ticket.updateMany({ where: { id: { in: old.map((t) => t.id) } }, data: { stateChangedAt: new Date(Date.now() - 31 * 86400_000) } });

    const r = await purgeExpiredTrash(db, 30, { batchSize: 3 });
    expect(r.purged).toBe(7);
    expect(await db.ticket.count({ where: { id: { in: old.map((t) => t.id) } } })).toBe(0);
    expect(await exists(recent.id)).toBe(true);
    for (const f of files) expect(existsSync(f)).toBe(false);
    expect((await purgeExpiredTrash(db, 30, { batchSize: 3 })).purged).toBe(0);
  });
});

describe("purging a merge target (T11, T13)", () => {
  it("takes the tickets merged into it along, with their files, so they do not come back to the inbox", async () => {
    const email = "merged.purge@example.com";
    const target = await newTicket("Target", email);
    const source = await newTicket("Source", email);
    const deeper = await newTicket("Merged into the source first", email);
    const bystander = await newTicket("Same customer, not merged", email);
    await mergeTickets(db, ben, { sourceNumber: deeper.number, targetNumber: source.number });
    await mergeTickets(db, ben, { sourceNumber: source.number, targetNumber: target.number });
    // A file left on the source after the merge (say, it arrived there later) must go too.
    await db.message.create({ data: { ticketId: source.id, kind: "NOTE", html: null, text: "late note" } });
    const sourceFile = await attachFile(source.id, "source.pdf");
    const targetFile = await attachFile(target.id, "target.pdf");

    await moveTickets(db, ben, { ticketIds: [target.id], state: "TRASH" });
    const r = await purgeTickets(db, ben, { ticketIds: [target.id] });
    expect(r.purged).toBe(3);
    for (const [name, t] of Object.entries({ target, source, deeper })) expect(await exists(t.id), name).toBe(false);
    expect(await exists(bystander.id)).toBe(true);
    expect(existsSync(sourceFile)).toBe(false);
    expect(existsSync(targetFile)).toBe(false);
  });
});
