import net, { type AddressInfo } from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from "@/lib/mail/imap/__fixtures__/self-signed";
import { testImapConnection, type ImapTestInput } from "@/lib/mail/imap/test-connection";
import { type DovecotServer, freePort, startDovecot } from "@/lib/test/dovecot";

let imap: DovecotServer;
let noIdle: DovecotServer;
const closers: (() => Promise<unknown>)[] = [];

/** Listens on a free port; afterAll drops its connections and closes it. */
async function listen(server: net.Server): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => sockets.add(s));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

/** Accepts connections and says nothing (reads, so it notices when the client leaves). */
const silentServer = () =>
  net.createServer((s) => {
    s.on("error", () => {});
    s.resume();
  });

beforeAll(async () => {
  [imap, noIdle] = await Promise.all([
    startDovecot({ users: [{ user: "alice", password: "secret" }] }),
    startDovecot({ users: [{ user: "alice", password: "secret" }], idle: false }),
  ]);
  await imap.append("alice", "From: a@example.com\r\nSubject: one\r\n\r\nx\r\n");
  await imap.append("alice", "From: a@example.com\r\nSubject: two\r\n\r\nx\r\n");
});
afterAll(async () => {
  await Promise.all([imap?.stop(), noIdle?.stop(), ...closers.map((c) => c())]);
});

const input = (over: Partial<ImapTestInput> = {}): ImapTestInput => ({
  host: "127.0.0.1",
  port: imap.port,
  tls: false,
  user: "alice",
  password: "secret",
  folder: "INBOX",
  timeoutMs: 5_000,
  ...over,
});

describe("testImapConnection", () => {
  it("succeeds against Dovecot and reports the folder and IDLE", async () => {
    const status = await imap.status("alice");
    const r = await testImapConnection(input());
    expect(r).toEqual({
      ok: true,
      folder: { exists: 2, uidValidity: status.uidValidity, uidNext: 3 },
      capabilities: expect.arrayContaining(["IMAP4rev1", "IDLE", "UIDPLUS"]),
      idle: true,
    });
  });

  it("accepts a host name", async () => {
    const r = await testImapConnection(input({ host: "localhost" }));
    // localhost may resolve to ::1 first, where Dovecot does not listen; either way it is not a DNS failure.
    if (!r.ok) expect(r.stage).toBe("connect");
    else expect(r.folder.exists).toBe(2);
  });

  it("reports a server without IDLE", async () => {
    const r = await testImapConnection(input({ port: noIdle.port }));
    expect(r).toMatchObject({ ok: true, idle: false, folder: { exists: 0 } });
    expect(r.ok && r.capabilities).not.toContain("IDLE");
  });

  it("wrong password → auth", async () => {
    const r = await testImapConnection(input({ password: "wrong" }));
    expect(r).toMatchObject({ ok: false, stage: "auth", code: "AUTHENTICATIONFAILED" });
    expect(!r.ok && r.message).toMatch(/rejected the user name or password/);
  });

  it("unknown user → auth", async () => {
    expect(await testImapConnection(input({ user: "mallory" }))).toMatchObject({ ok: false, stage: "auth" });
  });

  it("missing folder → folder", async () => {
    const r = await testImapConnection(input({ folder: "Support/Nope" }));
    expect(r).toMatchObject({ ok: false, stage: "folder", code: "NONEXISTENT" });
    expect(!r.ok && r.message).toContain('"Support/Nope" does not exist');
  });

  it("an existing non-INBOX folder is fine", async () => {
    await imap.createMailbox("alice", "Support");
    expect(await testImapConnection(input({ folder: "Support" }))).toMatchObject({ ok: true, folder: { exists: 0, uidNext: 1 } });
  });

  it("closed port → connect", async () => {
    const r = await testImapConnection(input({ port: await freePort() }));
    expect(r).toMatchObject({ ok: false, stage: "connect", code: "ECONNREFUSED" });
    expect(!r.ok && r.message).toMatch(/refused/);
  });

  it("unresolvable host → dns", async () => {
    const r = await testImapConnection(input({ host: "nonexistent.invalid" }));
    expect(r).toMatchObject({ ok: false, stage: "dns" });
    expect(!r.ok && r.message).toMatch(/nonexistent\.invalid/);
  });

  it("TLS against the plain port → tls", async () => {
    const r = await testImapConnection(input({ tls: true }));
    expect(r).toMatchObject({ ok: false, stage: "tls" });
    expect(!r.ok && r.message).toMatch(/does not speak TLS/);
  });

  it("an untrusted certificate → tls", async () => {
    const port = await listen(
      tls.createServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (s) => {
        s.on("error", () => {});
        s.write("* OK ready\r\n");
      }),
    );
    const r = await testImapConnection(input({ port, tls: true }));
    expect(r).toMatchObject({ ok: false, stage: "tls", code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
  });

  it("a server that closes at once → connect", async () => {
    const port = await listen(net.createServer((s) => s.destroy()));
    expect(await testImapConnection(input({ port }))).toMatchObject({ ok: false, stage: "connect" });
  });

  it("a server that never greets → timeout, with a TLS hint", async () => {
    const port = await listen(silentServer());
    const started = Date.now();
    const r = await testImapConnection(input({ port, timeoutMs: 800 }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r).toMatchObject({ ok: false, stage: "timeout" });
    expect(!r.ok && r.message).toMatch(/no IMAP greeting.*turn TLS on/);
  });

  it("a TLS handshake that never finishes → timeout", async () => {
    const port = await listen(silentServer());
    const r = await testImapConnection(input({ port, tls: true, timeoutMs: 800 }));
    expect(r).toMatchObject({ ok: false, stage: "timeout" });
    expect(!r.ok && r.message).toMatch(/TLS handshake/);
  });
});
