/**
 * The part of ingesting a message that needs no database: parse it and write its raw source
 * and attachments to storage. The mailbox session runs it a few messages ahead of the
 * transactions (ingestPrepared), so a transaction never waits for parsing or files.
 */
import "server-only";
import type { ParsedEmail } from "@/lib/mail/parse";
import { parseEmail } from "@/lib/mail/parse";
import { getStorage } from "@/lib/storage";

export type IngestContext = { ourAddresses: string[]; agentAddresses: string[]; maxAttachmentBytes?: number };

export type ParseResult = { ok: true; parsed: ParsedEmail } | { ok: false; reason: string };

export async function parseRawMessage(raw: Buffer, ctx: IngestContext): Promise<ParseResult> {
  try {
    return { ok: true, parsed: await parseEmail(raw, { ourAddresses: ctx.ourAddresses, agentAddresses: ctx.agentAddresses, maxAttachmentBytes: ctx.maxAttachmentBytes }) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

type StoredFile = { a: ParsedEmail["attachments"][number]; key: string };

/**
 * A fetched message made ready for the database: parsed, its raw source and attachments
 * already written to storage (so the transaction holds no connection while files are written).
 * `uid` is its IMAP position; a UID the server returned nothing for has no source at all.
 */
export type PreparedMessage = {
  uid: bigint | null;
  result: ParseResult | null;
  rawKey: string | null;
  rawSha256: string;
  files: StoredFile[];
};

/** Parses and stores one message; the transaction comes later (ingestPrepared). */
export async function prepareMessage(raw: Buffer | undefined, ctx: IngestContext, uid: bigint | null = null, preParsed?: Promise<ParseResult>): Promise<PreparedMessage> {
  if (!raw) return { uid, result: null, rawKey: null, rawSha256: "", files: [] };
  const result = await (preParsed ?? parseRawMessage(raw, ctx));
  const storage = getStorage();
  const rawFile = await storage.put(raw, "message.eml");
  const files: StoredFile[] = [];
  try {
    // Parsed messages keep their attachments; whether a ticket gets them is decided in the transaction.
    if (result.ok) for (const a of result.parsed.attachments) files.push({ a, key: (await storage.put(a.content, a.filename)).key });
  } catch (e) {
    await discardPrepared({ uid, result, rawKey: rawFile.key, rawSha256: rawFile.sha256, files });
    throw e;
  }
  return { uid, result, rawKey: rawFile.key, rawSha256: rawFile.sha256, files };
}

/** Deletes the files of a prepared message that will not be stored (stopped, failed, refetched later). */
export async function discardPrepared(m: PreparedMessage) {
  const storage = getStorage();
  await Promise.all([m.rawKey, ...m.files.map((f) => f.key)].filter((k): k is string => !!k).map((k) => storage.delete(k).catch(() => {})));
}

