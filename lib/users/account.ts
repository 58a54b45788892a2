import "server-only";
import type { Db } from "@/lib/db";
import { badRequest } from "@/lib/errors";
import { hashPassword, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { consumeAuthToken, createAuthToken, peekAuthToken } from "@/lib/auth/tokens";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { magicLinkEmail, passwordResetEmail } from "@/lib/mail/templates/account";

export const normalizeEmail = (e: string) => e.trim().toLowerCase();

/**
 * Sends a sign-in link when the address belongs to an active user. Answers the same
 * either way, so the form cannot be used to discover who has an account.
 */
export async function requestMagicLink(db: Db, input: { email: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, name: true, language: true, active: true, passwordHash: true } });
    if (!user?.active) return;
    const token = await createAuthToken(tx, { kind: "MAGIC_LINK", email, userId: user.id });
    const mail = await magicLinkEmail(tx, user.language, { name: user.name, token });
    await enqueueEmail(tx, { to: [email], purpose: "ACCOUNT", ...mail });
  });
}

export async function requestPasswordReset(db: Db, input: { email: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, name: true, language: true, active: true } });
    if (!user?.active) return;
    const token = await createAuthToken(tx, { kind: "PASSWORD_RESET", email, userId: user.id });
    const mail = await passwordResetEmail(tx, user.language, { name: user.name, token });
    await enqueueEmail(tx, { to: [email], purpose: "ACCOUNT", ...mail });
  });
}

function checkPassword(password: string) {
  if (password.length < PASSWORD_MIN_LENGTH) throw badRequest(`Use at least ${PASSWORD_MIN_LENGTH} characters.`, "password");
}

/** Sets a new password from a reset link and signs out every existing session. */
export async function resetPassword(db: Db, input: { token: string; password: string }): Promise<{ email: string }> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const t = await consumeAuthToken(tx, "PASSWORD_RESET", input.token);
    if (!t?.userId) throw badRequest("This reset link is invalid or has expired. Ask for a new one.", "token");
    await tx.user.update({ where: { id: t.userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    return { email: t.email };
  });
}

export async function invitationInfo(db: Db, input: { token: string }) {
  const t = await peekAuthToken(db, "INVITE", input.token);
  if (!t?.userId) return null;
  const user = await db.user.findUnique({ where: { id: t.userId }, select: { email: true, name: true, active: true } });
  return user?.active ? { email: user.email, name: user.name } : null;
}

/** The invitee chooses a password; the invitation link then stops working. */
export async function acceptInvitation(db: Db, input: { token: string; password: string; name?: string }): Promise<{ email: string }> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const t = await consumeAuthToken(tx, "INVITE", input.token);
    if (!t?.userId) throw badRequest("This invitation is invalid, used or expired. Ask an admin to send a new one.", "token");
    const user = await tx.user.update({
      where: { id: t.userId },
      data: { passwordHash, ...(input.name ? { name: input.name } : {}) },
      select: { email: true, active: true },
    });
    if (!user.active) throw badRequest("This account has been deactivated.", "token");
    return { email: user.email };
  });
}
