import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "@/lib/seed/demo";
import { sessionCookie } from "@/lib/test/http";
import { POST } from "@/app/api/realtime/auth/route";

let acme = "";
let globex = "";
let ayseCookie = "";

const auth = (channel: string, cookie?: string, socketId = "123.456") =>
  POST(new Request("http://x/api/realtime/auth", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) }, body: new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString() }));

beforeAll(async () => {
  await seedDemo(db);
  acme = (await db.brand.findUniqueOrThrow({ where: { slug: "acme" } })).id;
  globex = (await db.brand.findUniqueOrThrow({ where: { slug: "globex" } })).id;
  ayseCookie = await sessionCookie(await db.user.findUniqueOrThrow({ where: { email: "ayse@acme.test" } }));
});

describe("realtime channel authorisation", () => {
  it("signs a brand channel the agent works on, exactly as the Pusher protocol expects", async () => {
    const res = await auth(`private-brand-${acme}`, ayseCookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { auth: string };
    const sig = createHmac("sha256", process.env.PUSHER_SECRET!).update(`123.456:private-brand-${acme}`).digest("hex");
    expect(body.auth).toBe(`relaydesk-key:${sig}`);
  });

  it("refuses a brand the agent has no access to, another user's channel, and anonymous requests", async () => {
    expect((await auth(`private-brand-${globex}`, ayseCookie)).status).toBe(403);
    const ben = await db.user.findUniqueOrThrow({ where: { email: "ben@acme.test" } });
    expect((await auth(`private-user-${ben.id}`, ayseCookie)).status).toBe(403);
    expect((await auth(`private-brand-${acme}`)).status).toBe(401);
  });

  it("presence on a ticket carries the agent's name and only for tickets of their brands", async () => {
    const mine = await db.ticket.findFirstOrThrow({ where: { brandId: acme } });
    const other = await db.ticket.findFirstOrThrow({ where: { brandId: globex } });
    const ok = await auth(`presence-ticket-${mine.id}`, ayseCookie);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { channel_data: string };
    expect(JSON.parse(body.channel_data)).toMatchObject({ user_info: { name: "Ayşe Yılmaz" } });
    expect((await auth(`presence-ticket-${other.id}`, ayseCookie)).status).toBe(403);
  });

  it("rejects malformed input with a clear error", async () => {
    expect((await auth(`private-brand-${acme}`, ayseCookie, "not-a-socket")).status).toBe(403);
    const res = await POST(new Request("http://x/api/realtime/auth", { method: "POST", body: "" }));
    expect(res.status).toBe(400);
  });
});
