import "server-only";
import dns from "node:dns/promises";
import net from "node:net";
import { ImapFlow, type ImapFlowError } from "imapflow";

/**
 * "Test connection" for a mailbox's IMAP settings: connects, logs in and checks the folder,
 * and says exactly which step failed and why. Every step has a hard time limit (the whole
 * test never takes much more than `timeoutMs`).
 */

export type ImapTestInput = {
  host: string;
  port: number;
  /** Implicit TLS (usually port 993). Without it, STARTTLS is used when the server offers it. */
  tls: boolean;
  user: string;
  password: string;
  folder: string;
  /** Time limit for the whole test, default 15 s. */
  timeoutMs?: number;
};

export type ImapTestStage = "dns" | "connect" | "tls" | "auth" | "folder" | "timeout";

export type ImapTestResult =
  | { ok: true; folder: { exists: number; uidValidity: number; uidNext: number }; capabilities: string[]; idle: boolean }
  | { ok: false; stage: ImapTestStage; message: string; code?: string };

type Failure = Extract<ImapTestResult, { ok: false }>;

const DEFAULT_TIMEOUT_MS = 15_000;

class StepTimeout extends Error {}

async function step<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(what)), Math.max(ms, 1));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME", "ENODATA", "ESERVFAIL", "EREFUSED"]);
const CONNECT_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "EADDRNOTAVAIL", "ECONNRESET", "EPIPE", "ClosedAfterConnectText", "NoConnection", "EConnectionClosed"]);
const TIMEOUT_CODES = new Set(["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UPGRADE_TIMEOUT", "ETIMEDOUT", "ETIMEOUT"]);

/** TLS handshake and certificate failures, as Node and OpenSSL report them. */
function isTlsError(err: { code?: unknown; library?: unknown; tlsFailed?: unknown }): boolean {
  const code = typeof err.code === "string" ? err.code : "";
  return (
    err.tlsFailed === true ||
    err.library === "SSL routines" ||
    /^ERR_(SSL|TLS)_/.test(code) ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(code) ||
    code === "EPROTO" ||
    code === "ClosedAfterConnectTLS" ||
    code === "STARTTLS_INJECTION"
  );
}

function describeTls(err: Error & { code?: string; reason?: string }, port: number): string {
  const code = err.code ?? "";
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|RECORD_LAYER/.test(code) || /wrong version number|packet length too long/i.test(err.message)) {
    return `TLS handshake failed: the server on port ${port} does not speak TLS (${err.reason ?? err.message}). Turn TLS off for this port (STARTTLS is used when offered), or use the TLS port, usually 993.`;
  }
  if (code === "ClosedAfterConnectTLS" || code === "ECONNRESET" || code === "EPIPE") {
    return `TLS handshake failed: the server closed the connection during the handshake (${code}). Does port ${port} expect TLS?`;
  }
  return `TLS handshake failed: ${err.message}${code ? ` (${code})` : ""}`;
}

type Phase = "connect" | "greeting" | "auth";
type Ctx = { host: string; port: number; tls: boolean; timeoutMs: number; phase: Phase };

/** A time limit hit while imapflow connected, whichever timer (its own or ours) noticed first. */
function timeoutFailure(ctx: Ctx): Failure {
  const at = `${ctx.host}:${ctx.port}`;
  if (ctx.phase === "greeting") {
    const hint = ctx.tls ? "" : " If this port expects TLS (e.g. 993), turn TLS on.";
    return { ok: false, stage: "timeout", message: `Connected to ${at}, but no IMAP greeting came within ${ctx.timeoutMs} ms.${hint}` };
  }
  // The TCP connect was checked before, so with TLS a hang here is the handshake.
  const what = ctx.phase === "auth" ? "logging in" : ctx.tls ? "in the TLS handshake" : "connecting";
  return { ok: false, stage: "timeout", message: `Timed out after ${ctx.timeoutMs} ms while ${what} (${at})` };
}

/** Turns what connect() or a command threw into the step that failed and why. */
function classify(err: unknown, ctx: Ctx): Failure {
  const e = (err instanceof Error ? err : new Error(String(err))) as ImapFlowError & { library?: string; reason?: string };
  const code = e.code;
  const at = `${ctx.host}:${ctx.port}`;
  if (e.authenticationFailed || e.serverResponseCode === "AUTHENTICATIONFAILED") {
    const server = e.responseText ?? (typeof e.response === "string" ? e.response : "");
    return { ok: false, stage: "auth", message: `The server rejected the user name or password${server ? ` ("${server}")` : ""}`, code: e.serverResponseCode ?? "AUTHENTICATIONFAILED" };
  }
  if (code && DNS_CODES.has(code)) return { ok: false, stage: "dns", message: `DNS lookup failed for ${ctx.host} (${code})`, code };
  // Dropped before the TLS session was up (the TCP connect itself had worked).
  const droppedInHandshake = ctx.tls && ctx.phase === "connect" && (code === "ECONNRESET" || code === "EPIPE");
  if (isTlsError(e) || droppedInHandshake) return { ok: false, stage: "tls", message: describeTls(e, ctx.port), ...(code ? { code } : {}) };
  if (code && TIMEOUT_CODES.has(code)) return { ...timeoutFailure(ctx), code };
  if (code === "ECONNREFUSED") return { ok: false, stage: "connect", message: `Connection refused by ${at}: nothing listens on that port`, code };
  if (code === "ClosedAfterConnectText") {
    return { ok: false, stage: "connect", message: `${at} closed the connection without an IMAP greeting${e.reason ? `: ${e.reason}` : ""}`, code };
  }
  if (code && CONNECT_CODES.has(code)) {
    const why = e.reason ? `: ${e.reason}` : "";
    return { ok: false, stage: "connect", message: `Could not connect to ${at}${why} (${code})`, code };
  }
  // Anything else: blame the step we were in.
  const stage = ctx.phase === "auth" ? "auth" : "connect";
  return { ok: false, stage, message: `${stage === "auth" ? "Login" : "Connection"} failed: ${e.responseText ?? e.message}`, ...(code ? { code } : {}) };
}

/** Opens and closes a TCP connection. */
function tcpProbe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    sock.once("connect", () => {
      sock.destroy();
      resolve();
    });
    sock.once("error", (e) => {
      sock.destroy();
      reject(e);
    });
    // The caller's time limit may win: then nobody waits for this socket any more.
    sock.setTimeout(60_000, () => sock.destroy(new Error("TCP connect timed out")));
  });
}

export async function testImapConnection(input: ImapTestInput): Promise<ImapTestResult> {
  const { host, port, tls, user, password, folder } = input;
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(deadline - Date.now(), 1);
  const timedOut = (what: string): Failure => ({ ok: false, stage: "timeout", message: `Timed out after ${timeoutMs} ms while ${what} (${host}:${port})` });

  // 1. DNS, ourselves: imapflow would report it too, but not within our time limit.
  if (!net.isIP(host)) {
    try {
      await step(dns.lookup(host), left(), "dns");
    } catch (e) {
      if (e instanceof StepTimeout) return timedOut(`looking up ${host} in DNS`);
      const code = (e as NodeJS.ErrnoException).code ?? "DNS";
      return { ok: false, stage: "dns", message: `DNS lookup failed for ${host} (${code})`, code };
    }
  }

  // 2. TCP, ourselves: tells "nothing listens" and "no route" apart from what follows.
  try {
    await step(tcpProbe(host, port), left(), "connect");
  } catch (e) {
    if (e instanceof StepTimeout) return timedOut("connecting");
    return classify(e, { host, port, tls, timeoutMs, phase: "connect" });
  }

  // 3. TLS, greeting, login.
  const client = new ImapFlow({
    host,
    port,
    secure: tls,
    auth: { user, pass: password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: left(),
    greetingTimeout: left(),
    socketTimeout: timeoutMs + 5_000, // our per-step limits come first
    clientInfo: { name: "Relaydesk" },
  });
  client.on("error", () => {}); // failures surface through the awaited calls below
  const phase = (): Phase =>
    !client.connectedAt ? "connect" : !(client as unknown as { greetingReceived?: boolean }).greetingReceived ? "greeting" : "auth";
  try {
    try {
      // imapflow's own timers (same budget) usually fire first; this is the backstop, for the login too.
      await step(client.connect(), left() + 250, "connect");
    } catch (e) {
      const ctx = { host, port, tls, timeoutMs, phase: phase() };
      return e instanceof StepTimeout ? timeoutFailure(ctx) : classify(e, ctx);
    }

    const capabilities = [...client.capabilities.keys()];

    // 4. The folder.
    let status;
    try {
      status = await step(client.status(folder, { messages: true, uidValidity: true, uidNext: true }), left(), "folder");
    } catch (e) {
      if (e instanceof StepTimeout) return timedOut(`checking the folder "${folder}"`);
      const err = e as ImapFlowError;
      if (err.code === "NotFound" || err.mailboxMissing || err.serverResponseCode === "NONEXISTENT") {
        return { ok: false, stage: "folder", message: `The folder "${folder}" does not exist on the server`, code: "NONEXISTENT" };
      }
      if (err.responseStatus === "NO" || err.responseStatus === "BAD") {
        return { ok: false, stage: "folder", message: `The server refused the folder "${folder}": ${err.responseText ?? err.message}`, ...(err.serverResponseCode ? { code: err.serverResponseCode } : {}) };
      }
      return classify(e, { host, port, tls, timeoutMs, phase: "auth" });
    }
    if (!status || status.messages === undefined || status.uidValidity === undefined || status.uidNext === undefined) {
      return { ok: false, stage: "folder", message: `The server did not report the status of the folder "${folder}"` };
    }

    await step(client.logout(), Math.min(left(), 2_000), "logout").catch(() => {});
    return {
      ok: true,
      folder: { exists: status.messages, uidValidity: Number(status.uidValidity), uidNext: status.uidNext },
      capabilities,
      idle: client.capabilities.has("IDLE"),
    };
  } finally {
    client.close();
  }
}
