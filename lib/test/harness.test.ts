/**
 * The test harnesses themselves: a throwaway Dovecot, the SMTP listener, and the
 * system-package installer (its decisions only: a real install is not a unit test).
 */
import nodemailer from "nodemailer";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type DovecotServer, startDovecot, withTimeout } from "@/lib/test/dovecot";
import { ensureSystemPackages, installCommand } from "@/scripts/lib/system-packages.mjs";
import { startSmtpListener } from "@/lib/test/smtp-listener";

const message = (subject: string, id = `${Math.random().toString(36).slice(2)}@test`) =>
  `From: Customer <customer@example.com>\r\nTo: support@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n\r\nHello\r\n`;

describe("ensureSystemPackages", () => {
  afterEach(() => vi.restoreAllMocks());

  it("does nothing when every binary is there", async () => {
    await expect(ensureSystemPackages([{ bin: process.execPath, apt: "nodejs" }])).resolves.toEqual([]);
  });

  it("without root, throws the exact command to run", async () => {
    vi.spyOn(process, "getuid").mockReturnValue(1000);
    const err = await ensureSystemPackages([
      { bin: "/nonexistent/relaydesk-a", apt: "pkg-a" },
      { bin: "/nonexistent/relaydesk-b", apt: "pkg-b" },
      { bin: process.execPath, apt: "nodejs" },
    ]).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(installCommand(["pkg-a", "pkg-b"], { root: false }));
    expect((err as Error).message).toBe(
      "sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pkg-a pkg-b'",
    );
  });
});

describe("startDovecot", () => {
  let imap: DovecotServer;
  beforeAll(async () => {
    imap = await startDovecot({ users: [{ user: "alice", password: "secret" }] });
  });
  afterAll(() => imap?.stop());

  it("serves appended mail to an IMAP client", async () => {
    const { uid, uidValidity } = await imap.append("alice", message("First"), { flags: ["\\Seen"] });
    expect(uid).toBe(1);
    const client = await imap.connect("alice", { disableAutoIdle: true });
    try {
      const box = await withTimeout(client.mailboxOpen("INBOX"), 5_000, "SELECT");
      expect(box.exists).toBe(1);
      expect(Number(box.uidValidity)).toBe(uidValidity);
      const msg = await withTimeout(client.fetchOne(String(uid), { envelope: true, flags: true }, { uid: true }), 5_000, "FETCH");
      expect(msg && msg.envelope?.subject).toBe("First");
      expect(msg && msg.flags?.has("\\Seen")).toBe(true);
      expect(client.capabilities.has("IDLE")).toBe(true);
    } finally {
      await client.logout().catch(() => {});
    }
  });

  it("notifies an IDLE client of new mail", async () => {
    const client = await imap.connect("alice", { disableAutoIdle: true });
    try {
      await withTimeout(client.mailboxOpen("INBOX"), 5_000, "SELECT");
      const before = client.mailbox ? client.mailbox.exists : 0;
      const exists = new Promise<number>((resolve) => client.on("exists", (e: { count: number }) => resolve(e.count)));
      void client.idle().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
      await imap.append("alice", message("Pushed"));
      await expect(withTimeout(exists, 5_000, "IDLE notification")).resolves.toBe(before + 1);
    } finally {
      await client.logout().catch(() => {});
    }
  });

  it("keeps the mail and the port across a restart, and drops connections", async () => {
    const before = await imap.status("alice");
    const port = imap.port;
    const client = await imap.connect("alice", { disableAutoIdle: true });
    const closed = new Promise<void>((r) => client.once("close", () => r()));
    client.on("error", () => {});
    await imap.restart();
    await withTimeout(closed, 5_000, "client sees the restart");
    expect(imap.port).toBe(port);
    expect(imap.running).toBe(true);
    expect(await imap.status("alice")).toEqual(before);
  });

  it("can be down for a while (connections refused) and come back", async () => {
    await imap.down();
    expect(imap.running).toBe(false);
    await expect(imap.status("alice")).rejects.toThrow();
    await imap.up();
    expect((await imap.status("alice")).exists).toBeGreaterThan(0);
  });

  it("adds users and changes passwords on the fly", async () => {
    await imap.addUser("bob", "one");
    await imap.append("bob", message("For Bob"));
    expect((await imap.status("bob")).exists).toBe(1);
    await imap.addUser("bob", "two");
    expect((await imap.status("bob")).exists).toBe(1); // status() logs in with the new password
    expect(imap.clientOptions("bob").auth.pass).toBe("two");
  });

  it("sets a new UIDVALIDITY and disconnects sessions that had the mailbox selected", async () => {
    const before = await imap.status("alice");
    const client = await imap.connect("alice", { disableAutoIdle: true });
    client.on("error", () => {});
    await withTimeout(client.mailboxOpen("INBOX"), 5_000, "SELECT");
    const closed = new Promise<void>((r) => client.once("close", () => r()));
    const value = await imap.setUidValidity("alice");
    expect(value).toBe(before.uidValidity + 1);
    await withTimeout(closed, 5_000, "kicked");
    const after = await imap.status("alice");
    expect(after).toEqual({ ...before, uidValidity: before.uidValidity + 1 });
  });

  it("recreates a mailbox: same messages, renumbered under a higher UIDVALIDITY", async () => {
    await imap.addUser("carol", "pw");
    await imap.append("carol", message("c1"));
    await imap.append("carol", message("c2"));
    await imap.append("carol", message("c3"));
    // Expunge the first, so the survivors have UIDs 2 and 3 until the rebuild.
    const client = await imap.connect("carol", { disableAutoIdle: true });
    try {
      await withTimeout(client.mailboxOpen("INBOX"), 5_000, "SELECT");
      await withTimeout(client.messageDelete("1", { uid: true }), 5_000, "EXPUNGE");
    } finally {
      await client.logout().catch(() => {});
    }
    const before = await imap.status("carol");
    expect(before).toMatchObject({ exists: 2, uidNext: 4 });

    const after = await imap.recreateMailbox("carol");
    expect(after.exists).toBe(2);
    expect(after.uidValidity).toBeGreaterThan(before.uidValidity);
    expect(after.uidNext).toBe(3);

    const emptied = await imap.recreateMailbox("carol", { keepMessages: false });
    expect(emptied.exists).toBe(0);
    expect(emptied.uidValidity).toBeGreaterThan(after.uidValidity);
  });

  it("creates other folders", async () => {
    await imap.createMailbox("alice", "Support/Archive");
    await imap.append("alice", message("Archived"), { mailbox: "Support/Archive" });
    expect((await imap.status("alice", "Support/Archive")).exists).toBe(1);
  });
});

describe("startDovecot({ idle: false })", () => {
  let imap: DovecotServer;
  beforeAll(async () => {
    imap = await startDovecot({ users: [{ user: "alice", password: "secret" }], idle: false });
  });
  afterAll(() => imap?.stop());

  it("does not announce IDLE, before or after login", async () => {
    const client = await imap.connect("alice", { disableAutoIdle: true });
    try {
      expect(client.capabilities.has("IDLE")).toBe(false);
      expect(client.capabilities.has("IMAP4rev1")).toBe(true);
      expect(client.capabilities.has("UIDPLUS")).toBe(true);
    } finally {
      await client.logout().catch(() => {});
    }
  });

  it("still delivers mail, which a polling client sees", async () => {
    const client = await imap.connect("alice", { disableAutoIdle: true, missingIdleCommand: "NOOP", maxIdleTime: 300 });
    try {
      await withTimeout(client.mailboxOpen("INBOX"), 5_000, "SELECT");
      const exists = new Promise<number>((resolve) => client.on("exists", (e: { count: number }) => resolve(e.count)));
      void client.idle().catch(() => {}); // without IDLE, imapflow polls with NOOP
      await imap.append("alice", message("Polled"));
      await expect(withTimeout(exists, 5_000, "poll sees new mail")).resolves.toBe(1);
    } finally {
      await client.logout().catch(() => {});
    }
  });
});

describe("startSmtpListener", () => {
  it("receives a message sent with nodemailer", async () => {
    const smtp = await startSmtpListener();
    try {
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port: smtp.port, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: "agent@relaydesk.test", to: ["a@example.com", "b@example.com"], subject: "Hello", text: "Body" });
      const got = await smtp.waitFor((m) => m.parsed.subject === "Hello");
      expect(got.envelope).toEqual({ from: "agent@relaydesk.test", to: ["a@example.com", "b@example.com"] });
      expect(got.parsed.text?.trim()).toBe("Body");
      expect(got.raw.toString()).toContain("Subject: Hello");
      expect(smtp.messages).toHaveLength(1);
      smtp.clear();
      expect(smtp.messages).toHaveLength(0);
      await expect(smtp.waitFor(() => true, 100)).rejects.toThrow(/No matching message/);
    } finally {
      await smtp.close();
    }
  });

  it("refuses the next N messages with a temporary error, then accepts", async () => {
    const smtp = await startSmtpListener({ failNext: 2 });
    try {
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port: smtp.port, secure: false, ignoreTLS: true });
      const send = (subject: string) => transport.sendMail({ from: "agent@relaydesk.test", to: "c@example.com", subject, text: "x" });
      await expect(send("try 1")).rejects.toMatchObject({ responseCode: 451 });
      await expect(send("try 2")).rejects.toMatchObject({ responseCode: 451 });
      await send("try 3");
      expect(smtp.refused).toBe(2);
      expect(smtp.messages.map((m) => m.parsed.subject)).toEqual(["try 3"]);

      smtp.failNext(1, 550);
      await expect(send("permanent")).rejects.toMatchObject({ responseCode: 550 });
      await send("after");
      expect(smtp.messages.map((m) => m.parsed.subject)).toEqual(["try 3", "after"]);
    } finally {
      await smtp.close();
    }
  });

  it("requires AUTH when asked to", async () => {
    const smtp = await startSmtpListener({ requireAuth: { user: "relay", pass: "pw" } });
    try {
      const send = (auth?: { user: string; pass: string }) =>
        nodemailer
          .createTransport({ host: "127.0.0.1", port: smtp.port, secure: false, ignoreTLS: true, ...(auth ? { auth } : {}) })
          .sendMail({ from: "agent@relaydesk.test", to: "d@example.com", subject: "auth", text: "x" });
      await expect(send()).rejects.toMatchObject({ responseCode: 530 });
      await expect(send({ user: "relay", pass: "wrong" })).rejects.toMatchObject({ code: "EAUTH", responseCode: 535 });
      await send({ user: "relay", pass: "pw" });
      expect((await smtp.waitFor()).user).toBe("relay");
    } finally {
      await smtp.close();
    }
  });
});
