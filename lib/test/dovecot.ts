/**
 * A throwaway Dovecot IMAP server for tests: its own config, users, maildirs,
 * runtime dir and log in a temp dir, listening on a free port on 127.0.0.1.
 *
 *   const imap = await startDovecot({ users: [{ user: "alice", password: "secret" }] });
 *   await imap.append("alice", rawMessage);
 *   ... point the app at imap.host:imap.port (plain IMAP, no TLS) ...
 *   await imap.stop();
 *
 * Needs /usr/sbin/dovecot (Debian: dovecot-imapd; scripts/lib/system-packages.mjs
 * installs it). Runs as root (the mail processes then run as the `dovecot` user) or as
 * an unprivileged user (everything runs as that user).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { ImapFlow, type ImapFlowOptions } from "imapflow";

export const DOVECOT_BIN = "/usr/sbin/dovecot";
const DOVEADM_BIN = "/usr/bin/doveadm";

/**
 * What Dovecot 2.3 advertises after login, less IDLE. Dovecot has no way to remove one
 * capability (`imap_capability = -IDLE` is advertised literally as "-IDLE"; only a "+"
 * prefix, to add, is understood), so the no-IDLE server replaces the whole list. The
 * server still accepts an IDLE command; it just does not announce it, which is what a
 * client such as imapflow decides by.
 */
export const CAPABILITIES_WITHOUT_IDLE = [
  "IMAP4rev1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE", "SORT", "SORT=DISPLAY", "THREAD=REFERENCES", "THREAD=REFS",
  "THREAD=ORDEREDSUBJECT", "MULTIAPPEND", "URL-PARTIAL", "CATENATE", "UNSELECT", "CHILDREN", "NAMESPACE", "UIDPLUS",
  "LIST-EXTENDED", "I18NLEVEL=1", "CONDSTORE", "QRESYNC", "ESEARCH", "ESORT", "SEARCHRES", "WITHIN", "CONTEXT=SEARCH",
  "LIST-STATUS", "BINARY", "MOVE", "SNIPPET=FUZZY", "PREVIEW=FUZZY", "PREVIEW", "STATUS=SIZE", "SAVEDATE", "LITERAL+", "NOTIFY",
];

export type DovecotUser = { user: string; password: string };

export type StartDovecotOptions = {
  users?: DovecotUser[];
  /** Advertise IDLE (default true). False: a server without IDLE, for testing a client's polling fallback. */
  idle?: boolean;
  /** A fixed port; by default a free one is picked. */
  port?: number;
  /** How long to wait for the server to greet (default 15 s). */
  startTimeoutMs?: number;
};

export type MailboxStatus = { exists: number; uidValidity: number; uidNext: number };

export type AppendOptions = {
  /** Default "INBOX". */
  mailbox?: string;
  /** IMAP flags, e.g. ["\\Seen"]. */
  flags?: string[];
  /** The INTERNALDATE. */
  date?: Date;
};

export type DovecotServer = {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The temp dir holding config, users, maildirs (mail/<user>/Maildir) and dovecot.log. */
  readonly dir: string;
  readonly idle: boolean;
  /** Whether the server process is up. */
  readonly running: boolean;
  /** Stops the server for good and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server (SIGTERM, which drops every connection), keeps the mail, starts it again on the same port. */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** Stops the server but keeps everything, so `up()` can start it again on the same port (an outage). */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Adds a user, or changes the password of an existing one; resolves once the password works. */
  addUser(user: string, password: string): Promise<void>;
  /** ImapFlow options for logging in as this user (plain IMAP, logging off). */
  clientOptions(user: string): { host: string; port: number; secure: false; auth: { user: string; pass: string }; logger: false };
  /**
   * A logged-in ImapFlow client (with `options` on top of clientOptions); the caller logs it out.
   * Its 'error' events are swallowed (a restart would otherwise crash the worker): watch 'close'.
   */
  connect(user: string, options?: Partial<ImapFlowOptions>): Promise<ImapFlow>;
  /** APPENDs a raw message (IMAP, so Dovecot notifies IDLE clients as for a delivery). */
  append(user: string, raw: Buffer | string, opts?: AppendOptions): Promise<{ uid: number; uidValidity: number }>;
  /** STATUS of a mailbox (default INBOX). */
  status(user: string, mailbox?: string): Promise<MailboxStatus>;
  createMailbox(user: string, mailbox: string): Promise<void>;
  /**
   * Gives a mailbox a new UIDVALIDITY (doveadm mailbox update) while the server runs; messages
   * keep their UIDs. Default value: current + 1. Then (unless `kick: false`) disconnects the
   * user's sessions, as a server does when a mailbox's UIDVALIDITY changes: a session that has
   * the mailbox selected would otherwise keep reporting the old value, even in STATUS.
   * Resolves with the new UIDVALIDITY.
   */
  setUidValidity(user: string, opts?: { uidValidity?: number; mailbox?: string; kick?: boolean }): Promise<number>;
  /**
   * Rebuilds the user's INBOX as a server migration would: stops the server, deletes Dovecot's
   * UID list and indexes (and with `keepMessages: false` the messages too), starts it again.
   * Kept messages are renumbered from UID 1 under a new, higher UIDVALIDITY.
   */
  recreateMailbox(user: string, opts?: { keepMessages?: boolean }): Promise<MailboxStatus>;
  /** Dovecot's log so far. */
  log(): string;
};

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with an Error naming `what`; the work itself is not cancelled. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** uid/gid the mail processes run as: the `dovecot` user when we are root (Dovecot refuses uid 0), else ourselves. */
function mailOwner(): { uid: number; gid: number; name: string } {
  const me = os.userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, name: me.username };
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n").map((l) => l.split(":"));
  for (const name of ["dovecot", "nobody"]) {
    const entry = passwd.find((f) => f[0] === name);
    if (entry?.[2] && entry[3]) return { uid: Number(entry[2]), gid: Number(entry[3]), name };
  }
  throw new Error("No `dovecot` or `nobody` user in /etc/passwd to run the test mail processes as");
}

function groupName(gid: number): string {
  const entry = readFileSync("/etc/group", "utf8").split("\n").map((l) => l.split(":")).find((f) => f[2] === String(gid));
  return entry?.[0] ?? String(gid);
}

function checkUser(user: string, password: string) {
  if (!/^[A-Za-z0-9._@+-]+$/.test(user)) throw new Error(`Test IMAP user name not supported: ${JSON.stringify(user)}`);
  if (/[:\r\n]/.test(password)) throw new Error("Test IMAP passwords cannot contain ':' or line breaks (passwd-file format)");
}

function config(o: { dir: string; port: number; tag: string; owner: { uid: number; gid: number; name: string }; idle: boolean }) {
  const root = os.userInfo().uid === 0;
  const lines = [
    `instance_name = ${o.tag}`,
    `base_dir = ${o.dir}/run`,
    `state_dir = ${o.dir}/state`,
    "protocols = imap",
    "listen = 127.0.0.1",
    "ssl = no",
    "disable_plaintext_auth = no",
    "auth_mechanisms = plain login",
    // Tests of wrong passwords should not wait the default 2 s per attempt.
    "auth_failure_delay = 0",
    "auth_verbose = yes",
    `log_path = ${o.dir}/dovecot.log`,
    // Identifies this instance: the readiness probe waits for it, not for just any "* OK".
    `login_greeting = ${o.tag} ready.`,
    "mail_max_userip_connections = 100",
    // Changes are noticed through inotify; this is the fallback when that is unavailable.
    "mailbox_idle_check_interval = 1 secs",
    "passdb {",
    "  driver = passwd-file",
    `  args = scheme=PLAIN username_format=%u ${o.dir}/users`,
    "}",
    "userdb {",
    "  driver = static",
    `  args = uid=${o.owner.uid} gid=${o.owner.gid} home=${o.dir}/mail/%u`,
    "}",
    `first_valid_uid = ${o.owner.uid}`,
    `first_valid_gid = ${o.owner.gid}`,
    "mail_location = maildir:~/Maildir",
    "namespace inbox {",
    "  inbox = yes",
    "  separator = /",
    "}",
    "service imap-login {",
    "  inet_listener imap {",
    "    address = 127.0.0.1",
    `    port = ${o.port}`,
    "  }",
    "  inet_listener imaps {",
    "    port = 0",
    "  }",
    ...(root ? [] : ["  chroot ="]),
    "}",
    // No growing delays (2, 4, 8, 15 s) after failed logins from 127.0.0.1: tests of wrong
    // passwords would slow down every later login of the run.
    "service anvil {",
    "  unix_listener anvil-auth-penalty {",
    "    mode = 0",
    "  }",
    ...(root ? [] : ["  chroot ="]),
    "}",
  ];
  if (!o.idle) lines.push(`imap_capability = ${CAPABILITIES_WITHOUT_IDLE.join(" ")}`);
  if (!root) {
    // Unprivileged: every process runs as us, and nothing can chroot.
    lines.push(
      `default_internal_user = ${o.owner.name}`,
      `default_internal_group = ${groupName(o.owner.gid)}`,
      `default_login_user = ${o.owner.name}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Processes of the instance `tag` (Dovecot titles them "dovecot-<instance_name>/<service>"). */
function instanceProcesses(tag: string): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids; // not Linux: nothing we can do
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").startsWith(`dovecot-${tag}/`)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function killLeftovers(tag: string): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of instanceProcesses(tag)) {
      try {
        process.kill(pid, sig);
      } catch {
        // gone meanwhile
      }
    }
  };
  signal("SIGTERM");
  for (let i = 0; i < 40 && instanceProcesses(tag).length; i++) await wait(50);
  signal("SIGKILL");
}

/** Connects and reads the first lines until one contains `tag` (our greeting); false if not there (yet). */
function probe(port: number, tag: string): Promise<boolean> {
  return new Promise((resolve) => {
    let buf = "";
    const sock = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    sock.setEncoding("utf8");
    sock.on("data", (d: string) => {
      buf += d;
      if (buf.includes(tag)) done(true);
      else if (!buf.startsWith("* OK") && buf.length > 2) done(false);
    });
    sock.on("error", () => done(false));
    sock.on("close", () => done(false));
  });
}

export async function startDovecot(opts: StartDovecotOptions = {}): Promise<DovecotServer> {
  if (!existsSync(DOVECOT_BIN)) {
    throw new Error(`${DOVECOT_BIN} is missing. Install it with: apt-get install -y --no-install-recommends dovecot-imapd`);
  }
  const idle = opts.idle ?? true;
  const startTimeoutMs = opts.startTimeoutMs ?? 15_000;
  const owner = mailOwner();
  const dir = mkdtempSync(path.join(os.tmpdir(), "relaydesk-dovecot-"));
  // mkdtemp makes it 0700: the login, auth and mail processes (other users) must get in.
  chmodSync(dir, 0o755);
  for (const d of ["run", "state", "mail"]) mkdirSync(path.join(dir, d), { mode: 0o755 });
  chownSync(path.join(dir, "mail"), owner.uid, owner.gid);
  const usersFile = path.join(dir, "users");
  const confFile = path.join(dir, "dovecot.conf");
  const logFile = path.join(dir, "dovecot.log");
  const passwords = new Map<string, string>();

  const writeUsers = () => {
    const text = [...passwords].map(([u, p]) => `${u}:{PLAIN}${p}::::::\n`).join("");
    writeFileSync(usersFile, text, { mode: 0o644 });
  };
  for (const u of opts.users ?? []) {
    checkUser(u.user, u.password);
    passwords.set(u.user, u.password);
  }
  writeUsers();

  let port = opts.port ?? (await freePort());
  let tag = "";
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let stopped = false;
  const killOnExit = () => {
    child?.kill("SIGTERM");
    for (const pid of instanceProcesses(tag)) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // gone meanwhile
      }
    }
  };
  process.on("exit", killOnExit);

  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");

  async function launch(): Promise<void> {
    tag = `relaydesk-test-${port}-${randomBytes(4).toString("hex")}`;
    writeFileSync(confFile, config({ dir, port, tag, owner, idle }));
    const logStart = readLog().length;
    const proc = spawn(DOVECOT_BIN, ["-F", "-c", confFile], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let alive = true;
    exited = new Promise((resolve) => proc.once("exit", () => ((alive = false), resolve())));
    proc.once("error", (e) => ((alive = false), (stderr += String(e))));
    child = proc;
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (!alive) {
        child = null;
        const why = (stderr + readLog().slice(logStart)).trim();
        const err = new Error(`dovecot exited while starting: ${why}`);
        throw Object.assign(err, { addressInUse: /Address already in use/i.test(why) });
      }
      if (await probe(port, tag)) return;
      await wait(50);
    }
    await halt();
    throw new Error(`dovecot did not greet on 127.0.0.1:${port} within ${startTimeoutMs} ms. Log:\n${readLog().slice(logStart)}`);
  }

  /** Starts on `port`; a port taken meanwhile (or still held by the previous run's processes) is retried. */
  async function start(mayChangePort: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch();
      } catch (e) {
        if (!(e as { addressInUse?: boolean }).addressInUse || attempt >= 20) throw e;
        if (mayChangePort) port = await freePort();
        else await wait(250);
      }
    }
  }

  async function halt(): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = null;
    const launchTag = tag;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    // The master leaves the logged-in imap processes running (and they keep serving their
    // clients), despite shutdown_clients = yes: end them, as a real server stop would.
    await killLeftovers(launchTag);
  }

  async function doveadm(args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(DOVEADM_BIN, ["-c", confFile, ...args], { timeout: 15_000 });
    return stdout;
  }

  const clientOptions = (user: string) => {
    const pass = passwords.get(user);
    if (pass === undefined) throw new Error(`No test IMAP user ${user}`);
    return { host: "127.0.0.1", port, secure: false as const, auth: { user, pass }, logger: false as const };
  };

  async function withClient<T>(user: string, what: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({ ...clientOptions(user), disableAutoIdle: true, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    client.on("error", () => {}); // reported through the awaited calls
    try {
      await withTimeout(client.connect(), 15_000, `IMAP login as ${user}`);
      const result = await withTimeout(fn(client), 15_000, what);
      await withTimeout(client.logout(), 5_000, "IMAP LOGOUT").catch(() => {});
      return result;
    } finally {
      client.close();
    }
  }

  async function status(user: string, mailbox = "INBOX"): Promise<MailboxStatus> {
    return withClient(user, `STATUS ${mailbox}`, async (c) => {
      const s = await c.status(mailbox, { messages: true, uidValidity: true, uidNext: true });
      if (!s || s.messages === undefined || s.uidValidity === undefined || s.uidNext === undefined) throw new Error(`STATUS ${mailbox} failed`);
      return { exists: s.messages, uidValidity: Number(s.uidValidity), uidNext: s.uidNext };
    });
  }

  try {
    await start(opts.port === undefined);
  } catch (e) {
    process.removeListener("exit", killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const server: DovecotServer = {
    host: "127.0.0.1",
    get port() {
      return port;
    },
    dir,
    idle,
    get running() {
      return child !== null;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      process.removeListener("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
    async down() {
      await halt();
    },
    async up() {
      if (stopped) throw new Error("This Dovecot was stopped for good");
      if (!child) await start(false);
    },
    async restart({ downMs = 0 } = {}) {
      await server.down();
      if (downMs) await wait(downMs);
      await server.up();
    },
    async addUser(user, password) {
      checkUser(user, password);
      passwords.set(user, password);
      writeUsers();
      if (!child) return;
      // Dovecot re-reads passwd-file when it changed, but checks at most once a second: wait
      // until the new password works.
      const deadline = Date.now() + 5_000;
      for (;;) {
        try {
          return await withClient(user, "login", async () => {});
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await wait(200);
        }
      }
    },
    clientOptions,
    async connect(user, options = {}) {
      const client = new ImapFlow({ ...clientOptions(user), ...options });
      // An 'error' event nobody listens to would crash the test worker (e.g. on restart()).
      client.on("error", () => {});
      try {
        await withTimeout(client.connect(), 15_000, `IMAP login as ${user}`);
      } catch (e) {
        client.close();
        throw e;
      }
      return client;
    },
    async append(user, raw, o = {}) {
      const mailbox = o.mailbox ?? "INBOX";
      return withClient(user, `APPEND to ${mailbox}`, async (c) => {
        const res = await c.append(mailbox, typeof raw === "string" ? Buffer.from(raw) : raw, o.flags, o.date);
        if (!res || res.uid === undefined || res.uidValidity === undefined) throw new Error(`APPEND to ${mailbox} as ${user} failed`);
        return { uid: res.uid, uidValidity: Number(res.uidValidity) };
      });
    },
    status,
    async createMailbox(user, mailbox) {
      await withClient(user, `CREATE ${mailbox}`, async (c) => {
        await c.mailboxCreate(mailbox);
      });
    },
    async setUidValidity(user, { uidValidity, mailbox = "INBOX", kick = true } = {}) {
      const value = uidValidity ?? (await status(user, mailbox)).uidValidity + 1;
      await doveadm(["mailbox", "update", "-u", user, "--uid-validity", String(value), mailbox]);
      if (kick) await doveadm(["kick", user]);
      return value;
    },
    async recreateMailbox(user, { keepMessages = true } = {}) {
      const maildir = path.join(dir, "mail", user, "Maildir");
      if (!existsSync(maildir)) throw new Error(`${user} has no mail yet`);
      const before = (await status(user)).uidValidity;
      await halt();
      // The INBOX of a maildir is the Maildir root; other folders are its .Name subdirs.
      for (const f of readdirSync(maildir)) {
        // dovecot-uidvalidity* stays: it makes the next UIDVALIDITY higher than the last.
        if (f === "dovecot-uidlist" || f.startsWith("dovecot.index") || f.startsWith("dovecot.list.index") || f === "dovecot-keywords") rmSync(path.join(maildir, f), { force: true });
      }
      if (!keepMessages) {
        for (const sub of ["cur", "new", "tmp"]) {
          const d = path.join(maildir, sub);
          if (existsSync(d)) for (const f of readdirSync(d)) rmSync(path.join(d, f), { force: true });
        }
      }
      await start(false);
      const after = await status(user);
      // Dovecot picks max(now, last + 1): within the same second as the last one that can
      // be the value we had (e.g. one set by setUidValidity). Make sure it changed.
      if (after.uidValidity > before) return after;
      await server.setUidValidity(user, { uidValidity: before + 1, kick: false });
      return status(user);
    },
    log: readLog,
  };
  return server;
}
