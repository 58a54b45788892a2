import "server-only";
import dns from "node:dns/promises";
import net from "node:net";
import nodemailer from "nodemailer";

/**
 * "Test connection" for outgoing SMTP settings: connects (TLS or STARTTLS), logs in when
 * credentials are given (nodemailer's transport.verify()), and says exactly which step
 * failed and why. The whole test never takes much more than `timeoutMs`.
 */

export type SmtpTestInput = {
  host: string;
  port: number;
  /** Implicit TLS (usually port 465). Without it, STARTTLS is used when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** Time limit for the whole test, default 15 s. */
  timeoutMs?: number;
};

export type SmtpTestStage = "dns" | "connect" | "tls" | "auth" | "timeout";

export type SmtpTestResult =
  | { ok: true; authenticated: boolean }
  | { ok: false; stage: SmtpTestStage; message: string; code?: string };

type Failure = Extract<SmtpTestResult, { ok: false }>;

const DEFAULT_TIMEOUT_MS = 15_000;

type MailerError = Error & { code?: string; originalCode?: string; response?: string; responseCode?: number; command?: string; timeoutType?: string; library?: string; reason?: string };

/** nodemailer's own error codes; anything else is a system or OpenSSL code. */
const NODEMAILER_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS", "EREQUIRETLS", "EAUTH", "EOAUTH2", "EENVELOPE", "EMESSAGE", "ESTREAM", "EPROTOCOL", "EPROXY", "ECONFIG"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME", "ENODATA", "ESERVFAIL", "EREFUSED"]);
const CONNECT_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "EADDRNOTAVAIL", "ECONNRESET", "EPIPE"]);

function isTlsCode(code: string): boolean {
  return /^ERR_(SSL|TLS)_/.test(code) || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(code) || code === "EPROTO";
}

function classify(err: unknown, input: SmtpTestInput): Failure {
  const e = (err instanceof Error ? err : new Error(String(err))) as MailerError;
  const at = `${input.host}:${input.port}`;
  // nodemailer replaces a system error's code with its own (ESOCKET, EDNS, ...) and keeps the first in originalCode.
  const sys = e.originalCode ?? (e.code && !NODEMAILER_CODES.has(e.code) ? e.code : "");
  const code = e.code ?? "";
  const codeOf = (c: string) => (c ? { code: c } : {});

  if (code === "EAUTH") {
    const server = e.response ? ` ("${e.response}")` : "";
    const rc = e.responseCode;
    let message = `The server rejected the user name or password${server}`;
    if (rc === 530 || rc === 538 || /STARTTLS|encryption required/i.test(e.response ?? "")) message = `The server requires TLS before logging in${server}`;
    else if (rc !== undefined && rc >= 500 && rc <= 504) message = `The server does not accept AUTH on this port${server}`;
    else if (rc === undefined) message = `Logging in failed: ${e.message}`;
    return { ok: false, stage: "auth", message, code: rc ? String(rc) : "EAUTH" };
  }
  if (code === "EDNS" || DNS_CODES.has(sys)) {
    return { ok: false, stage: "dns", message: `DNS lookup failed for ${input.host} (${sys || code})`, ...codeOf(sys || code) };
  }
  if (code === "ETLS" || isTlsCode(sys) || e.library === "SSL routines") {
    if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(sys) || /wrong version number|packet length too long/i.test(e.message)) {
      return {
        ok: false,
        stage: "tls",
        message: `TLS handshake failed: the server on port ${input.port} does not speak TLS (${e.reason ?? e.message}). Turn TLS off for this port (STARTTLS is used when offered), or use the TLS port, usually 465.`,
        ...codeOf(sys || code),
      };
    }
    return { ok: false, stage: "tls", message: `TLS handshake failed: ${e.message}${sys ? ` (${sys})` : ""}`, ...codeOf(sys || code) };
  }
  if (code === "ETIMEDOUT") {
    const type = e.timeoutType ?? code;
    const ms = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (type === "GREETING_TIMEOUT") {
      const hint = input.secure ? "" : " If this port expects TLS (e.g. 465), turn TLS on.";
      return { ok: false, stage: "timeout", message: `Connected to ${at}, but no SMTP greeting came within ${ms} ms.${hint}`, code: type };
    }
    const what = type === "CONNECT_TIMEOUT" ? (input.secure ? "connecting (TCP and TLS handshake)" : "connecting") : type === "UPGRADE_TIMEOUT" ? "in the STARTTLS handshake" : "waiting for the server";
    return { ok: false, stage: "timeout", message: `Timed out after ${ms} ms while ${what} (${at})`, code: type };
  }
  if (sys === "ECONNREFUSED") return { ok: false, stage: "connect", message: `Connection refused by ${at}: nothing listens on that port`, code: sys };
  if (CONNECT_CODES.has(sys)) {
    // Dropped during the TLS handshake: the port most likely does not expect TLS.
    if (input.secure && (sys === "ECONNRESET" || sys === "EPIPE") && /TLS|secure/i.test(e.message)) {
      return { ok: false, stage: "tls", message: `TLS handshake failed: the server closed the connection during the handshake (${sys}). Does port ${input.port} expect TLS?`, code: sys };
    }
    return { ok: false, stage: "connect", message: `Could not connect to ${at}: ${e.message}`, code: sys };
  }
  const server = e.response ? `: ${e.response}` : "";
  return { ok: false, stage: "connect", message: `The SMTP conversation with ${at} failed: ${e.message}${server && !e.message.includes(e.response ?? "") ? server : ""}`, ...codeOf(code) };
}

class StepTimeout extends Error {}

async function step<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout()), Math.max(ms, 1));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function testSmtpConnection(input: SmtpTestInput): Promise<SmtpTestResult> {
  const { host, port, secure, user, password } = input;
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(deadline - Date.now(), 1);
  const timedOut = (what: string): Failure => ({ ok: false, stage: "timeout", message: `Timed out after ${timeoutMs} ms while ${what} (${host}:${port})` });

  if (!net.isIP(host)) {
    try {
      await step(dns.lookup(host), left());
    } catch (e) {
      if (e instanceof StepTimeout) return timedOut(`looking up ${host} in DNS`);
      const code = (e as NodeJS.ErrnoException).code ?? "DNS";
      return { ok: false, stage: "dns", message: `DNS lookup failed for ${host} (${code})`, code };
    }
  }

  const withAuth = !!user;
  const transport = nodemailer.createTransport({
    host,
    port,
    secure,
    ...(withAuth ? { auth: { user, pass: password ?? "" }, forceAuth: true } : {}),
    connectionTimeout: left(),
    greetingTimeout: left(),
    socketTimeout: timeoutMs + 5_000, // the phase timers (and our backstop) come first
    dnsTimeout: left(),
    logger: false,
    debug: false,
  });
  try {
    // nodemailer's own timers (same budget) fire first and say which phase hung; this is the backstop.
    await step(transport.verify(), left() + 500);
    return { ok: true, authenticated: withAuth };
  } catch (e) {
    if (e instanceof StepTimeout) return timedOut(withAuth ? "connecting and logging in" : "connecting");
    return classify(e, input);
  } finally {
    transport.close();
  }
}
