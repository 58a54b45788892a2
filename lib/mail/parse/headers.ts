/** Small helpers over raw header lines: reading values, Message-IDs, dates, addresses. */
import type { AddressObject, EmailAddress as MpAddress, HeaderLines, HeaderValue } from "mailparser";
import type { EmailAddress } from "./types";

export interface HeaderReader {
  /** First value of the header (unfolded, trimmed, bytes read as UTF-8), or null. */
  get(name: string): string | null;
  /** Every value of the header, in order. */
  all(name: string): string[];
  names: Set<string>;
}

export function unfold(value: string): string {
  return value.replace(/\r?\n[ \t]*/g, " ").trim();
}

export function headerReader(lines: HeaderLines): HeaderReader {
  const map = new Map<string, string[]>();
  for (const { key, line } of lines) {
    if (!key) continue;
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const value = unfold(Buffer.from(line.slice(colon + 1), "latin1").toString("utf8"));
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return {
    get: (name) => map.get(name)?.[0] ?? null,
    all: (name) => map.get(name) ?? [],
    names: new Set(map.keys()),
  };
}

/** Message-IDs in a header value, without angle brackets. A bare id (no brackets) is accepted when it is the whole value. */
export function extractMessageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const ids: string[] = [];
  for (const m of value.matchAll(/<([^<>\s]{1,998})>/g)) ids.push(m[1]!);
  if (ids.length === 0) {
    const bare = value.trim();
    if (/^[^\s<>()"]+@[^\s<>()"]+$/.test(bare) && bare.length <= 998) ids.push(bare);
  }
  return ids;
}

/**
 * The Date header as a Date, or null when it cannot be read or is absurd (before 1970 or more
 * than a year ahead). Comments like "(PST)" are ignored; a few common malformations are repaired.
 */
export function parseDateHeader(value: string | null, now = new Date()): Date | null {
  if (!value) return null;
  const cleaned = value
    .replace(/\([^()]*\)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!cleaned) return null;
  const attempts = [
    cleaned,
    // "Mon, 1 Jan 2024 10:00:00 +0300 +0300" or trailing garbage after the zone
    cleaned.replace(/^(.*?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{4}|[A-Z]{1,5})?).*$/i, "$1"),
    // "1.1.2024 10:00" style is not RFC 5322 and is left unparsed on purpose
  ];
  for (const attempt of attempts) {
    if (!/\d{4}|\d{1,2}\s+[A-Za-z]{3}\s+\d{2}\b/.test(attempt)) continue;
    const t = Date.parse(attempt);
    if (Number.isNaN(t)) continue;
    const d = new Date(t);
    const year = d.getUTCFullYear();
    if (year < 1970 || t > now.getTime() + 366 * 24 * 3600 * 1000) return null;
    return d;
  }
  return null;
}

const ADDRESS = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+$/;

export function normalizeAddress(address: string | undefined | null): string | null {
  if (!address) return null;
  const a = address.trim().replace(/^<|>$/g, "").toLowerCase();
  return ADDRESS.test(a) ? a : null;
}

function cleanName(name: string | undefined, address: string): string | null {
  if (!name) return null;
  const n = name
    .replace(/\p{Cc}/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^["']+|["']+$/g, "")
    .trim();
  if (!n || n.toLowerCase() === address) return null;
  return n;
}

function isAddressObject(v: unknown): v is AddressObject {
  return typeof v === "object" && v !== null && Array.isArray((v as AddressObject).value) && "text" in v;
}

function flatten(list: MpAddress[], out: MpAddress[] = []): MpAddress[] {
  for (const a of list) {
    if (a.group) flatten(a.group, out);
    else out.push(a);
  }
  return out;
}

/** Mailboxes of a parsed address header (repeated headers and groups flattened), deduplicated. */
export function addressesOf(value: HeaderValue | undefined): EmailAddress[] {
  if (value === undefined) return [];
  const objects = (Array.isArray(value) ? value : [value]).filter(isAddressObject);
  const out: EmailAddress[] = [];
  const seen = new Set<string>();
  for (const obj of objects) {
    for (const mb of flatten(obj.value)) {
      const address = normalizeAddress(mb.address);
      if (!address || seen.has(address)) continue;
      seen.add(address);
      out.push({ address, name: cleanName(mb.name, address) });
    }
  }
  return out;
}

/** A header value as a string (mailparser decodes encoded words in unstructured headers). */
export function headerString(value: HeaderValue | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const first = value[0];
    return typeof first === "string" ? first : "";
  }
  return "";
}
