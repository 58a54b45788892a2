import "server-only";
import type { Db } from "@/lib/db";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { createAuthToken } from "@/lib/auth/tokens";
import { enqueueEmail } from "@/lib/mail/outgoing/enqueue";
import { inviteEmail } from "@/lib/mail/templates/account";
import { normalizeEmail } from "@/lib/users/account";
import { Prisma } from "@/lib/generated/prisma/client";
import { agentBrandsSelect, announceAgentStatus } from "@/lib/users/profile";
import { terminateUserConnections } from "@/lib/realtime/publish";

export async function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    select: {
      id: true,
      email: true,
      name: true,
      active: true,
      language: true,
      invitedAt: true,
      lastSignInAt: true,
      passwordHash: true,
      chatCapacity: true,
      role: { select: { id: true, name: true } },
      groups: { select: { group: { select: { id: true, name: true } } } },
    },
  }).then((users) =>
    users.map(({ passwordHash, groups, ...u }) => ({
      ...u,
      pending: !passwordHash,
      groups: groups.map((g) => g.group),
    })),
  );
}

export type InviteInput = { email: string; name: string; roleId: string; groupIds: string[]; language: string };

/** Creates the user and emails an invitation, in one transaction; a duplicate address creates nothing. */
export async function inviteUser(db: Db, actor: { id: string; name: string }, input: InviteInput) {
  const email = normalizeEmail(input.email);
  try {
    return await db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
      if (existing) throw conflict("A user with this email address already exists.", "email");
      const role = await tx.role.findUnique({ where: { id: input.roleId }, select: { id: true } });
      if (!role) throw badRequest("Choose a role.", "roleId");
      const user = await tx.user.create({
        data: {
          email,
          name: input.name.trim(),
          roleId: role.id,
          language: input.language,
          invitedAt: new Date(),
          groups: { create: input.groupIds.map((groupId) => ({ groupId })) },
        },
        select: { id: true, email: true },
      });
      const token = await createAuthToken(tx, { kind: "INVITE", email, userId: user.id });
      const mail = await inviteEmail(tx, input.language, { name: input.name, inviter: actor.name, token });
      await enqueueEmail(tx, { to: [email], purpose: "ACCOUNT", ...mail });
      return user;
    });
  } catch (e) {
    // Two admins inviting the same address at once: the unique index decides.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw conflict("A user with this email address already exists.", "email");
    }
    throw e;
  }
}

export async function resendInvitation(db: Db, actor: { name: string }, input: { userId: string }) {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, name: true, language: true, passwordHash: true, active: true } });
    if (!user) throw notFound("The user");
    if (user.passwordHash) throw badRequest("This user has already accepted the invitation.");
    if (!user.active) throw badRequest("Reactivate the user before inviting them again.");
    const token = await createAuthToken(tx, { kind: "INVITE", email: user.email, userId: user.id });
    const mail = await inviteEmail(tx, user.language, { name: user.name, inviter: actor.name, token });
    await enqueueEmail(tx, { to: [user.email], purpose: "ACCOUNT", ...mail });
  });
}

export async function updateUser(
  db: Db,
  actorId: string,
  input: { userId: string; name?: string; roleId?: string; language?: string; groupIds?: string[]; chatCapacity?: number | null },
) {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, roleId: true } });
    if (!user) throw notFound("The user");
    if (input.roleId && input.roleId !== user.roleId) {
      if (input.userId === actorId) throw badRequest("You cannot change your own role.", "roleId");
      const role = await tx.role.findUnique({ where: { id: input.roleId }, select: { id: true } });
      if (!role) throw badRequest("Choose a role.", "roleId");
    }
    if (input.groupIds) {
      await tx.groupMember.deleteMany({ where: { userId: input.userId } });
      await tx.groupMember.createMany({ data: input.groupIds.map((groupId) => ({ groupId, userId: input.userId })) });
    }
    return tx.user.update({
      where: { id: input.userId },
      data: {
        name: input.name?.trim(),
        roleId: input.roleId,
        language: input.language,
        chatCapacity: input.chatCapacity,
        // A role change takes effect at once: the user's next request reloads permissions.
      },
      select: { id: true },
    });
  });
}

/** Ends the user's access on their next request; their history stays. */
export async function setUserActive(db: Db, actorId: string, input: { userId: string; active: boolean }) {
  if (input.userId === actorId && !input.active) throw badRequest("You cannot deactivate yourself.");
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true } });
  if (!user) throw notFound("The user");
  const updated = await db.user.update({
    where: { id: input.userId },
    data: input.active
      ? { active: true, deactivatedAt: null }
      : { active: false, deactivatedAt: new Date(), sessionVersion: { increment: 1 }, agentStatus: "OFFLINE", agentStatusAt: new Date() },
    select: { agentStatus: true, agentStatusAt: true, ...agentBrandsSelect },
  });
  if (!input.active) {
    // Their open desks stop hearing anything now, not at their next request; the cockpit
    // and online counters stop counting them.
    await terminateUserConnections(input.userId);
    await announceAgentStatus(db, input.userId, updated);
  }
}
