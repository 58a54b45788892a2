import "server-only";
import type { Db, Tx } from "@/lib/db";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { mailTransport } from "@/lib/env";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export type OutboundInput =
  | { kind: "DEFAULT" }
  | { kind: "SMTP"; host: string; port: number; secure: boolean; user: string | null; password?: string | null };

export type MailboxInput = {
  brandId: string;
  name: string;
  color: string;
  address: string;
  imapHost: string;
  imapPort: number;
  imapTls: boolean;
  imapUser: string;
  /** Required when creating; on update, absent/empty keeps the stored one. */
  imapPassword?: string | null;
  imapFolder: string;
  active: boolean;
  outbound: OutboundInput;
};

/**
 * E2: the capture address is the mailbox address with a "+forward" tag, so mail
 * auto-forwarded there lands in the same IMAP folder and the ingest worker can tell
 * it apart by its To header.
 */
export function forwardingAddressFor(address: string): string {
  const [local, domain] = address.toLowerCase().split("@");
  return `${local}+forward@${domain}`;
}

const SELECT = {
  id: true, brandId: true, name: true, color: true, address: true, forwardingAddress: true,
  imapHost: true, imapPort: true, imapTls: true, imapUser: true, imapFolder: true, active: true,
  health: true, lastSuccessAt: true, lastErrorAt: true, lastError: true, errorSince: true, ingestedCount: true, failedCount: true,
  brand: { select: { name: true, color: true } },
  outboundChannel: { select: { id: true, kind: true, smtpHost: true, smtpPort: true, smtpSecure: true, smtpUser: true, secretEnc: true } },
} satisfies Prisma.MailboxSelect;

/** Mailboxes of the brands the admin may see. Secrets never leave the server: only whether one is set. */
export async function listMailboxes(db: Db, brandIds: string[]) {
  const rows = await db.mailbox.findMany({ where: { brandId: { in: brandIds } }, orderBy: [{ brandId: "asc" }, { name: "asc" }], select: SELECT });
  return { platform: mailTransport, mailboxes: rows.map(({ outboundChannel: ch, ...m }) => ({
    ...m,
    passwordSet: true,
    outbound: ch
      ? { kind: "SMTP" as const, host: ch.smtpHost ?? "", port: ch.smtpPort ?? 587, secure: ch.smtpSecure, user: ch.smtpUser, passwordSet: !!ch.secretEnc }
      : { kind: "DEFAULT" as const },
  })) };
}

function assertBrand(brandIds: string[], brandId: string) {
  if (!brandIds.includes(brandId)) throw forbidden("You cannot manage mailboxes of that brand.");
}

function uniqueViolation(e: unknown): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
    throw conflict("Another mailbox already uses this email address.", "address");
  }
  throw e;
}

async function saveOutbound(tx: Tx, brandId: string, address: string, name: string, existingId: string | null, o: OutboundInput): Promise<string | null> {
  if (o.kind === "DEFAULT") {
    if (existingId) await tx.outboundChannel.delete({ where: { id: existingId } });
    return null;
  }
  const existing = existingId ? await tx.outboundChannel.findUnique({ where: { id: existingId }, select: { secretEnc: true } }) : null;
  const secretEnc = o.password ? encryptSecret(o.password) : (existing?.secretEnc ?? null);
  const data = { brandId, name: `${name} SMTP`, kind: "SMTP" as const, fromAddress: address, smtpHost: o.host, smtpPort: o.port, smtpSecure: o.secure, smtpUser: o.user || null, secretEnc };
  if (existingId) {
    await tx.outboundChannel.update({ where: { id: existingId }, data });
    return existingId;
  }
  return (await tx.outboundChannel.create({ data, select: { id: true } })).id;
}

export async function createMailbox(db: Db, brandIds: string[], input: MailboxInput) {
  assertBrand(brandIds, input.brandId);
  if (!input.imapPassword) throw badRequest("Enter the IMAP password (an app password for Gmail, Outlook or Yandex).", "imapPassword");
  const address = input.address.toLowerCase();
  try {
    return await db.$transaction(async (tx) => {
      const channelId = await saveOutbound(tx, input.brandId, address, input.name, null, input.outbound);
      return tx.mailbox.create({
        data: {
          brandId: input.brandId, name: input.name, color: input.color, address, forwardingAddress: forwardingAddressFor(address),
          imapHost: input.imapHost, imapPort: input.imapPort, imapTls: input.imapTls, imapUser: input.imapUser,
          imapPasswordEnc: encryptSecret(input.imapPassword!), imapFolder: input.imapFolder, active: input.active,
          health: input.active ? "UNKNOWN" : "DISABLED", outboundChannelId: channelId,
        },
        select: { id: true },
      });
    });
  } catch (e) {
    return uniqueViolation(e);
  }
}

export async function updateMailbox(db: Db, brandIds: string[], input: MailboxInput & { mailboxId: string }) {
  const current = await db.mailbox.findUnique({ where: { id: input.mailboxId }, select: { brandId: true, outboundChannelId: true, imapHost: true, imapUser: true, imapFolder: true } });
  if (!current) throw notFound("The mailbox");
  assertBrand(brandIds, current.brandId);
  assertBrand(brandIds, input.brandId);
  const address = input.address.toLowerCase();
  try {
    return await db.$transaction(async (tx) => {
      const channelId = await saveOutbound(tx, input.brandId, address, input.name, current.outboundChannelId, input.outbound);
      const moved = input.imapHost !== current.imapHost || input.imapUser !== current.imapUser || input.imapFolder !== current.imapFolder;
      return tx.mailbox.update({
        where: { id: input.mailboxId },
        data: {
          brandId: input.brandId, name: input.name, color: input.color, address, forwardingAddress: forwardingAddressFor(address),
          imapHost: input.imapHost, imapPort: input.imapPort, imapTls: input.imapTls, imapUser: input.imapUser, imapFolder: input.imapFolder,
          ...(input.imapPassword ? { imapPasswordEnc: encryptSecret(input.imapPassword) } : {}),
          active: input.active,
          ...(input.active ? {} : { health: "DISABLED" as const, errorSince: null }),
          // Another account or folder: its UIDs mean something else, so the position starts over (dedupe prevents doubles).
          ...(moved ? { uidValidity: null, lastUid: 0 } : {}),
          outboundChannelId: channelId,
        },
        select: { id: true },
      });
    });
  } catch (e) {
    return uniqueViolation(e);
  }
}

export async function deleteMailbox(db: Db, brandIds: string[], mailboxId: string) {
  const m = await db.mailbox.findUnique({ where: { id: mailboxId }, select: { brandId: true, outboundChannelId: true } });
  if (!m) throw notFound("The mailbox");
  assertBrand(brandIds, m.brandId);
  await db.$transaction(async (tx) => {
    await tx.mailbox.delete({ where: { id: mailboxId } });
    if (m.outboundChannelId) await tx.outboundChannel.delete({ where: { id: m.outboundChannelId } });
  });
  return { ok: true };
}

/** The stored IMAP password, for the test button when the admin did not retype it. */
export async function storedImapPassword(db: Db, brandIds: string[], mailboxId: string): Promise<string> {
  const m = await db.mailbox.findUnique({ where: { id: mailboxId }, select: { brandId: true, imapPasswordEnc: true } });
  if (!m) throw notFound("The mailbox");
  assertBrand(brandIds, m.brandId);
  return decryptSecret(m.imapPasswordEnc);
}

export async function storedSmtpPassword(db: Db, brandIds: string[], mailboxId: string): Promise<string | null> {
  const m = await db.mailbox.findUnique({ where: { id: mailboxId }, select: { brandId: true, outboundChannel: { select: { secretEnc: true } } } });
  if (!m) throw notFound("The mailbox");
  assertBrand(brandIds, m.brandId);
  return m.outboundChannel?.secretEnc ? decryptSecret(m.outboundChannel.secretEnc) : null;
}
