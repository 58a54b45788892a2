import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { LOCALES } from "@/lib/i18n/config";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { inviteUser, listUsers, resendInvitation, setUserActive, updateUser } from "@/lib/users/admin";
import { createRole, deleteRole, listRoles, updateRole } from "@/lib/roles/service";
import { createGroup, deleteGroup, listGroups, updateGroup } from "@/lib/groups/service";
import { createBrand, listBrands, updateBrand } from "@/lib/brands/service";
import { getEmailLog, listEmailLog } from "@/lib/mail/log/service";

const id = z.string().min(1).max(64);
const name = z.string().trim().min(1, "Enter a name.").max(120);

export const usersRouter = router({
  list: permissionProcedure("admin.users").query(({ ctx }) => listUsers(ctx.db)),
  invite: permissionProcedure("admin.users")
    .input(z.object({ email: z.email("Enter a valid email address.").max(320), name, roleId: id, groupIds: z.array(id).max(100).default([]), language: z.enum(LOCALES).default("en") }))
    .mutation(({ ctx, input }) => inviteUser(ctx.db, ctx.user, input)),
  resendInvitation: permissionProcedure("admin.users").input(z.object({ userId: id })).mutation(({ ctx, input }) => resendInvitation(ctx.db, ctx.user, input)),
  update: permissionProcedure("admin.users")
    .input(z.object({ userId: id, name: name.optional(), roleId: id.optional(), language: z.enum(LOCALES).optional(), groupIds: z.array(id).max(100).optional(), chatCapacity: z.number().int().min(0).max(50).nullable().optional() }))
    .mutation(({ ctx, input }) => updateUser(ctx.db, ctx.user.id, input)),
  setActive: permissionProcedure("admin.users")
    .input(z.object({ userId: id, active: z.boolean() }))
    .mutation(({ ctx, input }) => setUserActive(ctx.db, ctx.user.id, input)),
});

const permissions = z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length);

export const rolesRouter = router({
  list: permissionProcedure("admin.roles").query(({ ctx }) => listRoles(ctx.db)),
  create: permissionProcedure("admin.roles").input(z.object({ name, permissions })).mutation(({ ctx, input }) => createRole(ctx.db, input)),
  update: permissionProcedure("admin.roles")
    .input(z.object({ roleId: id, name: name.optional(), permissions: permissions.optional() }))
    .mutation(({ ctx, input }) => updateRole(ctx.db, input)),
  delete: permissionProcedure("admin.roles").input(z.object({ roleId: id })).mutation(({ ctx, input }) => deleteRole(ctx.db, input)),
});

const groupInput = z.object({
  name,
  description: z.string().max(500).nullable().optional(),
  chatCapacity: z.number().int().min(0).max(50).nullable().optional(),
  memberIds: z.array(id).max(500),
  brandIds: z.array(id).max(100),
});

export const groupsRouter = router({
  list: permissionProcedure("admin.groups").query(({ ctx }) => listGroups(ctx.db)),
  create: permissionProcedure("admin.groups").input(groupInput).mutation(({ ctx, input }) => createGroup(ctx.db, input)),
  update: permissionProcedure("admin.groups").input(groupInput.extend({ groupId: id })).mutation(({ ctx, input }) => updateGroup(ctx.db, input)),
  delete: permissionProcedure("admin.groups").input(z.object({ groupId: id })).mutation(({ ctx, input }) => deleteGroup(ctx.db, input)),
});

const brandInput = z.object({
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, "Use 2–41 lowercase letters, digits and dashes."),
  name,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #4f46e5."),
  logoUrl: z.url().max(500).nullable().optional(),
  defaultLanguage: z.enum(LOCALES),
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone."),
});

export const brandsRouter = router({
  list: permissionProcedure("admin.brands").query(({ ctx }) => listBrands(ctx.db)),
  create: permissionProcedure("admin.brands").input(brandInput).mutation(({ ctx, input }) => createBrand(ctx.db, input)),
  update: permissionProcedure("admin.brands").input(brandInput.extend({ brandId: id })).mutation(({ ctx, input }) => updateBrand(ctx.db, input)),
});

export const emailLogRouter = router({
  list: permissionProcedure("admin.messages")
    .input(z.object({ box: z.enum(["IN", "OUT"]), q: z.string().trim().max(200).optional(), cursor: z.number().int().positive().nullish(), limit: z.number().int().min(1).max(100).default(50) }))
    .query(({ ctx, input }) => listEmailLog(ctx.db, { direction: input.box, q: input.q, cursor: input.cursor, limit: input.limit })),
  get: permissionProcedure("admin.messages").input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getEmailLog(ctx.db, input.id)),
});
