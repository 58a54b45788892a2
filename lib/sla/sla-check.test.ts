/**
 * An SLA breach recorded by the scheduled check shows in open inboxes without a reload:
 * the desk, subscribed with pusher-js through the built-in realtime server, hears
 * `ticket.updated` once the breach has committed (a refetch on that event sees it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, subscribe, withTimeout, startAppRealtime } from "@/lib/realtime/server/test-helpers";
import type { TicketChangedEvent } from "@/lib/realtime/channels";

// The app reads its realtime configuration once, when its modules load: the server comes first.
const realtime = await startAppRealtime();
const { db } = await import("@/lib/db");
const { seedDemo } = await import("@/lib/seed/demo");
const { customerEmailTicket } = await import("@/lib/tickets/test-tickets");
const { brandChannel } = await import("@/lib/realtime/channels");
const { runSlaCheck } = await import("@/lib/sla/sla-check");
afterAll(() => realtime.close());

let acme = "";
beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
});

describe("the SLA check announces what it records", () => {
  it("an open inbox hears ticket.updated for a breached ticket, after the breach committed", async () => {
    const t = await customerEmailTicket(db, { brandId: acme, subject: "Nobody answered", email: "late@example.com", name: "Lee Late", body: "Hello?" });
    // A first response due a minute ago, as a policy would have set it.
    const dueAt = new Date(Date.now() - 60_000);
    await db.ticket.update({ where: { id: t.id }, data: { firstResponseAt: null, slaPausedAt: null, slaBreachedAt: null, firstResponseDueAt: dueAt } });

    const desk = client(realtime.port);
    const { channel } = await subscribe(desk, brandChannel(acme));
    const heard = withTimeout(
      new Promise<{ e: TicketChangedEvent; breachedAt: Date | null }>((resolve) =>
        channel.bind("ticket.updated", (e: TicketChangedEvent) => {
          if (e.id !== t.id) return;
          // What the inbox does on this event: it refetches, and must see the breach.
          void db.ticket.findUniqueOrThrow({ where: { id: t.id }, select: { slaBreachedAt: true } }).then(({ slaBreachedAt }) => resolve({ e, breachedAt: slaBreachedAt }));
        }),
      ),
      "ticket.updated from the SLA check",
    );
    expect(await runSlaCheck(db, { ticketId: t.id, kind: "first_response", phase: "breach", at: dueAt.toISOString() })).toMatchObject({ acted: true, why: "breach" });
    const { e, breachedAt } = await heard;
    expect(e).toEqual({ id: t.id, number: t.number, brandId: acme, fields: ["SLA_BREACH"] });
    expect(breachedAt).not.toBeNull();
  });
});
