import "server-only";
import type { Tx } from "@/lib/db";
import type { AuthTokenKind } from "@/lib/generated/prisma/client";
import { randomToken, sha256 } from "@/lib/crypto";

export const TOKEN_TTL_MINUTES: Record<AuthTokenKind, number> = {
  MAGIC_LINK: 15,
  PASSWORD_RESET: 60,
  INVITE: 7 * 24 * 60,
};

/** Creates a single-use token; only its hash is stored, the raw value goes in the link. */
export async function createAuthToken(
  tx: Tx,
  input: { kind: AuthTokenKind; email: string; userId?: string | null },
): Promise<string> {
  const raw = randomToken();
  await tx.authToken.create({
    data: {
      kind: input.kind,
      email: input.email,
      userId: input.userId ?? null,
      tokenHash: sha256(raw),
      expiresAt: new Date(Date.now() + TOKEN_TTL_MINUTES[input.kind] * 60_000),
    },
  });
  return raw;
}

/** Looks a token up without using it (to show "set a password for x@y"). */
export async function peekAuthToken(tx: Tx, kind: AuthTokenKind, raw: string) {
  const t = await tx.authToken.findUnique({
    where: { tokenHash: sha256(raw) },
    select: { id: true, kind: true, email: true, userId: true, expiresAt: true, usedAt: true },
  });
  if (!t || t.kind !== kind || t.usedAt || t.expiresAt <= new Date()) return null;
  return t;
}

/** Uses a token exactly once, even under concurrent requests (conditional update). */
export async function consumeAuthToken(tx: Tx, kind: AuthTokenKind, raw: string) {
  const t = await peekAuthToken(tx, kind, raw);
  if (!t) return null;
  const { count } = await tx.authToken.updateMany({
    where: { id: t.id, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  return count === 1 ? t : null;
}
