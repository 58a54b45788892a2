/**
 * A time rule that changes a ticket shows in open inboxes without a reload: the desk,
 * subscribed with pusher-js through the built-in realtime server, hears `ticket.updated`
 * once the change has committed (a refetch on that event sees it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, subscribe, withTimeout, startAppRealtime } from "@/lib/realtime/server/test-helpers";
import type { TicketChangedEvent } from "@/lib/realtime/channels";

// The app reads its realtime configuration once, when its modules load: the server comes first.
const realtime = await startAppRealtime();
const { db } = await import("@/lib/db");
const { seedDemo } = await import("@/lib/seed/demo");
const { customerEmailTicket } = await import("@/lib/tickets/test-tickets");
const { createRule } = await import("@/lib/automation/rules");
const { forgetRules } = await import("@/lib/automation/engine");
const { brandChannel } = await import("@/lib/realtime/channels");
const { runTimeRules } = await import("@/lib/automation/time-rules");
afterAll(() => realtime.close());

let acme = "";
beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
});

describe("time rules announce what they change", () => {
  it("an open inbox hears ticket.updated for a ticket a time rule resolved, after the change committed", async () => {
    const word = `stale${Date.now()}`;
    await createRule(db, {
      name: "Close stale pending",
      brandId: null,
      trigger: "TIME_ELAPSED",
      conditions: { match: "all", items: [{ field: "subject", op: "contains", value: word }, { field: "hoursSinceUpdated", op: "more_than", value: "72" }] },
      actions: [{ type: "set_status", value: "RESOLVED" }],
      active: true,
    });
    forgetRules();
    const t = await customerEmailTicket(db, { brandId: acme, subject: `Waiting ${word}`, email: "quiet@example.com", name: "Quinn Quiet", body: "Hello" });
    await db.ticket.update({ where: { id: t.id }, data: { status: "PENDING", updatedAt: new Date(Date.now() - 73 * 3_600_000) } });

    const desk = client(realtime.port);
    const { channel } = await subscribe(desk, brandChannel(acme));
    const heard = withTimeout(
      new Promise<{ e: TicketChangedEvent; status: string }>((resolve) =>
        channel.bind("ticket.updated", (e: TicketChangedEvent) => {
          if (e.id !== t.id) return;
          // What the inbox does on this event: it refetches, and must see the rule's change.
          void db.ticket.findUniqueOrThrow({ where: { id: t.id }, select: { status: true } }).then(({ status }) => resolve({ e, status }));
        }),
      ),
      "ticket.updated from the time rule",
    );
    expect((await runTimeRules(db)).acted).toBe(1);
    const { e, status } = await heard;
    expect(e).toEqual({ id: t.id, number: t.number, brandId: acme, fields: expect.arrayContaining(["STATUS", "RULE"]) });
    expect(status).toBe("RESOLVED");
  });
});
