/**
 * An agent's status is heard where it is shown: the brands' cockpits and counters, and
 * the agent's own tabs (their user menu) — through pusher-js from the built-in server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "pusher-js";
import PusherClient from "pusher-js";
import { APP, client, onCleanup, subscribe, withTimeout, startAppRealtime } from "@/lib/realtime/server/test-helpers";

// The app reads its realtime configuration once, when its modules load: the server comes first.
const realtime = await startAppRealtime();
const { db } = await import("@/lib/db");
const { seedDemo } = await import("@/lib/seed/demo");
const { setAgentStatus } = await import("@/lib/users/profile");
const { setUserActive } = await import("@/lib/users/admin");
const { brandChannel, userChannel } = await import("@/lib/realtime/channels");
const { authenticateDeskUser } = await import("@/lib/realtime/authorize");
const { loadCurrentUser } = await import("@/lib/auth/current-user");

type Status = { userId: string; status: string; at: string };
const next = (channel: Channel, userId: string) =>
  withTimeout(
    new Promise<Status>((resolve) => {
      const on = (e: Status) => {
        if (e.userId !== userId) return;
        channel.unbind("agent.status", on);
        resolve(e);
      };
      channel.bind("agent.status", on);
    }),
    "agent.status",
  );

let acmeId = "";
beforeAll(async () => {
  await seedDemo(db);
  acmeId = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" }, select: { id: true } })).id;
});
afterAll(async () => {
  await realtime.close();
});

describe("agent status announcements", () => {
  it("reach the agent's own tabs even when the agent works in no brand", async () => {
    const role = await db.role.findUniqueOrThrow({ where: { builtIn: "AGENT" }, select: { id: true } });
    const loner = await db.user.create({ data: { email: "loner@acme.test", name: "Lone", roleId: role.id }, select: { id: true } });
    const c = client(realtime.port);
    const { channel } = await subscribe(c, userChannel(loner.id));
    const heard = next(channel, loner.id);
    await setAgentStatus(db, loner.id, "BREAK");
    expect(await heard).toMatchObject({ status: "BREAK" });
  });

  it("a deactivated agent goes Offline on the brand's cockpit at once", async () => {
    const ben = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" }, select: { id: true } });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" }, select: { id: true } });
    await setAgentStatus(db, ben.id, "ONLINE");
    const c = client(realtime.port);
    const { channel } = await subscribe(c, brandChannel(acmeId));
    const heard = next(channel, ben.id);
    await setUserActive(db, admin.id, { userId: ben.id, active: false });
    expect(await heard).toMatchObject({ status: "OFFLINE" });
  });

  it("a deactivated agent's open desk is disconnected at once and does not reconnect", async () => {
    const carla = await db.user.findUniqueOrThrow({ where: { email: "carla@acme.test" }, select: { id: true, sessionVersion: true } });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" }, select: { id: true } });
    const me = (await loadCurrentUser(db, carla.id, carla.sessionVersion))!;
    // A desk as the browser makes it: signed in through the app's own user authentication.
    const desk = new PusherClient(APP.key, {
      cluster: "local", wsHost: "127.0.0.1", wsPort: realtime.port, forceTLS: false, enabledTransports: ["ws"], disableStats: true,
      userAuthentication: {
        customHandler: ({ socketId }, cb) => {
          const r = authenticateDeskUser(me, socketId);
          if (r.ok) cb(null, r.body as { auth: string; user_data: string });
          else cb(new Error(r.message), null);
        },
      },
    });
    onCleanup(() => desk.disconnect());
    const signedIn = withTimeout(new Promise<void>((resolve) => desk.bind("pusher:signin_success", () => resolve())), "signin");
    desk.signin();
    await signedIn;
    const states: string[] = [];
    desk.connection.bind("state_change", ({ current }: { current: string }) => states.push(current));
    await setUserActive(db, admin.id, { userId: carla.id, active: false });
    await withTimeout(new Promise<void>((resolve) => { const check = () => (desk.connection.state === "disconnected" ? resolve() : setTimeout(check, 20)); check(); }), "disconnected");
    await new Promise((r) => setTimeout(r, 1500));
    expect(desk.connection.state).toBe("disconnected");
    expect(states).not.toContain("connected");
  });
});
