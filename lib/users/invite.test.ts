import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { syncBuiltInRoles } from "@/lib/seed/demo";
import { inviteUser } from "@/lib/users/admin";
import { acceptInvitation, requestMagicLink, resetPassword, requestPasswordReset } from "@/lib/users/account";
import { verifyPassword } from "@/lib/auth/password";
import { consumeAuthToken } from "@/lib/auth/tokens";
import { DomainError } from "@/lib/errors";

let agentRoleId = "";
const actor = { id: "actor", name: "Ada Admin" };

/** The token is only in the emailed link: read it back from the captured email, as a person would. */
async function linkToken(to: string, path: string) {
  const mail = await db.emailLog.findFirstOrThrow({ where: { to: { has: to }, text: { contains: path } }, orderBy: { id: "desc" } });
  const m = new RegExp(`${path}\\?token=([\\w-]+)`).exec(mail.text ?? "");
  return m![1]!;
}

beforeAll(async () => {
  agentRoleId = (await syncBuiltInRoles(db)).AGENT;
});

describe("invitations", () => {
  it("creates the user, logs the invitation email and enqueues its delivery in one go", async () => {
    const jobsBefore = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_email'`;
    const user = await inviteUser(db, actor, { email: "New.Agent@Example.com ", name: "New Agent", roleId: agentRoleId, groupIds: [], language: "tr" });
    expect(user.email).toBe("new.agent@example.com");
    const mail = await db.emailLog.findFirstOrThrow({ where: { to: { has: "new.agent@example.com" } } });
    expect(mail.status).toBe("QUEUED");
    expect(mail.subject).toBe("Relaydesk'e davet edildiniz");
    expect(mail.text).toContain("/auth/invite?token=");
    const jobsAfter = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'send_email'`;
    expect(jobsAfter[0]!.n).toBe(jobsBefore[0]!.n + 1);
  });

  it("a duplicate address gets a clear error and creates nothing", async () => {
    await inviteUser(db, actor, { email: "dup@example.com", name: "Dup", roleId: agentRoleId, groupIds: [], language: "en" });
    const users = await db.user.count();
    const mails = await db.emailLog.count();
    const err = await inviteUser(db, actor, { email: "DUP@example.com", name: "Dup again", roleId: agentRoleId, groupIds: [], language: "en" }).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "CONFLICT", field: "email", message: "A user with this email address already exists." });
    expect(await db.user.count()).toBe(users);
    expect(await db.emailLog.count()).toBe(mails);
  });

  it("the invitee sets a password once; the link then stops working", async () => {
    await inviteUser(db, actor, { email: "joiner@example.com", name: "Joiner", roleId: agentRoleId, groupIds: [], language: "en" });
    const token = await linkToken("joiner@example.com", "/auth/invite");
    const short = await acceptInvitation(db, { token, password: "short" }).catch((e) => e);
    expect(short).toMatchObject({ code: "BAD_REQUEST", field: "password" });
    await acceptInvitation(db, { token, password: "a-long-password" });
    const u = await db.user.findUniqueOrThrow({ where: { email: "joiner@example.com" } });
    expect(await verifyPassword("a-long-password", u.passwordHash)).toBe(true);
    const again = await acceptInvitation(db, { token, password: "another-password" }).catch((e) => e);
    expect(again).toMatchObject({ code: "BAD_REQUEST", field: "token" });
  });
});

describe("magic links and password reset", () => {
  it("a magic link works exactly once, even when used twice at the same moment", async () => {
    await inviteUser(db, actor, { email: "magic@example.com", name: "Magic", roleId: agentRoleId, groupIds: [], language: "en" });
    await requestMagicLink(db, { email: "magic@example.com" });
    const token = await linkToken("magic@example.com", "/auth/magic");
    const results = await Promise.all([consumeAuthToken(db, "MAGIC_LINK", token), consumeAuthToken(db, "MAGIC_LINK", token)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("no email is sent for an unknown address, and the answer is the same", async () => {
    const before = await db.emailLog.count();
    await expect(requestMagicLink(db, { email: "nobody@example.com" })).resolves.toBeUndefined();
    await expect(requestPasswordReset(db, { email: "nobody@example.com" })).resolves.toBeUndefined();
    expect(await db.emailLog.count()).toBe(before);
  });

  it("a password reset changes the password and ends existing sessions", async () => {
    await inviteUser(db, actor, { email: "reset@example.com", name: "Reset", roleId: agentRoleId, groupIds: [], language: "en" });
    const before = await db.user.findUniqueOrThrow({ where: { email: "reset@example.com" } });
    await requestPasswordReset(db, { email: "reset@example.com" });
    const token = await linkToken("reset@example.com", "/auth/reset");
    await resetPassword(db, { token, password: "brand-new-password" });
    const after = await db.user.findUniqueOrThrow({ where: { email: "reset@example.com" } });
    expect(await verifyPassword("brand-new-password", after.passwordHash)).toBe(true);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
  });
});
