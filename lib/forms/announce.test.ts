/**
 * New contact-form tickets reach an open desk through the built-in realtime server, heard by
 * pusher-js, whether they come alone or many at once (sharing batch requests).
 */
import { afterAll, describe, expect, it } from "vitest";
import { client, subscribe, withTimeout, startAppRealtime } from "@/lib/realtime/server/test-helpers";

// The app reads its realtime configuration once, when its modules load: the server comes first.
const realtime = await startAppRealtime();
const { announce } = await import("@/lib/forms/announce");
afterAll(() => realtime.close());

const CHANNEL = "private-brand-b1";
const created = (id: number) => ({ channel: CHANNEL, event: "ticket.created" as const, data: { id, number: id, brandId: "b1", fields: [] } });

/** The ids of the next `n` ticket.created events on the desk's brand channel. */
async function heard(n: number, send: () => void): Promise<number[]> {
  const desk = client(realtime.port);
  const { channel } = await subscribe(desk, CHANNEL);
  const ids: number[] = [];
  const done = withTimeout(
    new Promise<void>((resolve) =>
      channel.bind("ticket.created", (e: { id: number }) => {
        ids.push(e.id);
        if (ids.length === n) resolve();
      }),
    ),
    `${n} announcements`,
  );
  send();
  await done;
  return ids;
}

describe("new contact-form tickets are announced", () => {
  it("alone, when no other comes", async () => {
    expect(await heard(1, () => announce(created(7)))).toEqual([7]);
  });

  it("many at once (more than one request's worth): each reaches the desk, once", async () => {
    const ids = Array.from({ length: 25 }, (_, i) => 100 + i);
    expect((await heard(25, () => ids.forEach((id) => announce(created(id))))).sort((a, b) => a - b)).toEqual(ids);
  });
});
