/**
 * A real SMTP server on 127.0.0.1 (random port) that records what it receives, for tests
 * of outgoing mail. Plain SMTP (no TLS); AUTH PLAIN/LOGIN when `requireAuth` is given.
 * It can refuse the next N messages (451 by default, or any 4xx/5xx) to test retries.
 *
 *   const smtp = await startSmtpListener();
 *   ... send to 127.0.0.1:smtp.port ...
 *   const msg = await smtp.waitFor((m) => m.parsed.subject === "Hi");
 *   await smtp.close();
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = {
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
  /** The user the client authenticated as, if it did. */
  user?: string;
};

export type SmtpListenerOptions = {
  /** Require AUTH with these credentials (otherwise AUTH is optional and anything is accepted). */
  requireAuth?: { user: string; pass: string };
  /** Refuse this many messages first (after their DATA was read), with `failCode`. */
  failNext?: number;
  /** Reply code for refused messages: 4xx (try again later) or 5xx (permanent). Default 451. */
  failCode?: number;
};

export type SmtpListener = {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** Messages received (refused ones are not included), oldest first. */
  readonly messages: ReceivedMail[];
  /** How many messages were refused so far. */
  readonly refused: number;
  /** Refuses the next `n` messages with `code` (default 451). */
  failNext(n: number, code?: number): void;
  /** The first message (received already or later) that matches; rejects after `timeoutMs` (default 5 s). */
  waitFor(predicate?: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  clear(): void;
  close(): Promise<void>;
};

export async function startSmtpListener(opts: SmtpListenerOptions = {}): Promise<SmtpListener> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let failRemaining = opts.failNext ?? 0;
  let failCode = opts.failCode ?? 451;
  let refused = 0;
  const auth = opts.requireAuth;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: !auth,
    authMethods: ["PLAIN", "LOGIN"],
    allowInsecureAuth: true, // AUTH without TLS: this server only listens on loopback
    logger: false,
    closeTimeout: 1_000, // close(): clients still connected get a 421 after this
    onAuth(a, _session, cb) {
      if (!auth || (a.username === auth.user && a.password === auth.pass)) return cb(null, { user: a.username });
      cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("error", (e) => cb(e));
      stream.on("end", () => {
        if (failRemaining > 0) {
          failRemaining--;
          refused++;
          const text = failCode >= 500 ? "Message refused (test)" : "Mailbox temporarily unavailable, try again later (test)";
          return cb(Object.assign(new Error(text), { responseCode: failCode }));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
            const user = typeof session.user === "string" ? session.user : undefined;
            messages.push({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, raw, parsed, ...(user ? { user } : {}) });
            cb();
            for (const w of [...waiters]) w();
          },
          (e: Error) => cb(e),
        );
      });
    },
  });
  server.on("error", () => {}); // a client's broken connection is not the test's failure

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: "127.0.0.1",
    port,
    messages,
    get refused() {
      return refused;
    },
    failNext(n, code = 451) {
      failRemaining = n;
      failCode = code;
    },
    waitFor(predicate = () => true, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No matching message within ${timeoutMs} ms (${messages.length} received, ${refused} refused)`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    clear() {
      messages.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
