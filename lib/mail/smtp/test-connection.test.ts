import net, { type AddressInfo } from "node:net";
import tls from "node:tls";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from "@/lib/mail/imap/__fixtures__/self-signed";
import { testSmtpConnection, type SmtpTestInput } from "@/lib/mail/smtp/test-connection";
import { freePort } from "@/lib/test/dovecot";
import { type SmtpListener, startSmtpListener } from "@/lib/test/smtp-listener";

let withAuth: SmtpListener;
let open: SmtpListener;
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

beforeAll(async () => {
  [withAuth, open] = await Promise.all([startSmtpListener({ requireAuth: { user: "relay", pass: "pw" } }), startSmtpListener()]);
});
afterAll(async () => {
  await Promise.all([withAuth?.close(), open?.close(), ...closers.map((c) => c())]);
});

const input = (over: Partial<SmtpTestInput> = {}): SmtpTestInput => ({
  host: "127.0.0.1",
  port: withAuth.port,
  secure: false,
  user: "relay",
  password: "pw",
  timeoutMs: 5_000,
  ...over,
});

describe("testSmtpConnection", () => {
  it("logs in with the right credentials", async () => {
    expect(await testSmtpConnection(input())).toEqual({ ok: true, authenticated: true });
  });

  it("without credentials, only checks the connection", async () => {
    expect(await testSmtpConnection(input({ port: open.port, user: undefined, password: undefined }))).toEqual({ ok: true, authenticated: false });
  });

  it("wrong password → auth", async () => {
    const r = await testSmtpConnection(input({ password: "wrong" }));
    expect(r).toMatchObject({ ok: false, stage: "auth", code: "535" });
    expect(!r.ok && r.message).toMatch(/rejected the user name or password/);
  });

  it("credentials for a server without AUTH → auth", async () => {
    const server = new SMTPServer({ secure: false, disabledCommands: ["STARTTLS", "AUTH"], authOptional: true, logger: false });
    const port = await listen(server.server);
    const r = await testSmtpConnection(input({ port }));
    expect(r).toMatchObject({ ok: false, stage: "auth" });
    expect(!r.ok && r.message).toMatch(/does not accept AUTH/);
  });

  it("closed port → connect", async () => {
    const r = await testSmtpConnection(input({ port: await freePort() }));
    expect(r).toMatchObject({ ok: false, stage: "connect", code: "ECONNREFUSED" });
  });

  it("unresolvable host → dns", async () => {
    expect(await testSmtpConnection(input({ host: "nonexistent.invalid" }))).toMatchObject({ ok: false, stage: "dns" });
  });

  it("TLS against a plain port → tls", async () => {
    const r = await testSmtpConnection(input({ secure: true }));
    expect(r).toMatchObject({ ok: false, stage: "tls" });
    expect(!r.ok && r.message).toMatch(/does not speak TLS/);
  });

  it("an untrusted certificate → tls", async () => {
    const port = await listen(
      tls.createServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (s) => {
        s.on("error", () => {});
        s.write("220 ready\r\n");
      }),
    );
    expect(await testSmtpConnection(input({ port, secure: true }))).toMatchObject({ ok: false, stage: "tls", code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
  });

  it("a server that never greets → timeout, with a TLS hint", async () => {
    const port = await listen(
      net.createServer((s) => {
        s.on("error", () => {});
        s.resume();
      }),
    );
    const started = Date.now();
    const r = await testSmtpConnection(input({ port, timeoutMs: 800 }));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r).toMatchObject({ ok: false, stage: "timeout" });
    expect(!r.ok && r.message).toMatch(/no SMTP greeting.*turn TLS on/);
  });
});
