import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { LOCALES } from "@/lib/i18n/config";
import { businessHoursSchema } from "@/lib/sla/schedule-schema";
import { createBusinessHours, deleteBusinessHours, listBusinessHours, updateBusinessHours } from "@/lib/business-hours/service";
import { deleteFaqArticle, formAdmin, saveFaqArticle, saveFormFields } from "@/lib/forms/admin";
import { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, moveSlaPolicy, updateSlaPolicy } from "@/lib/sla/policies";

const id = z.string().min(1).max(64);
const businessHoursInput = businessHoursSchema.extend({
  name: z.string().trim().min(1, "Enter a name.").max(120),
  brandIds: z.array(id).max(200).default([]),
});

export const businessHoursRouter = router({
  list: permissionProcedure("admin.settings").query(({ ctx }) => listBusinessHours(ctx.db)),
  create: permissionProcedure("admin.settings").input(businessHoursInput).mutation(({ ctx, input }) => createBusinessHours(ctx.db, input)),
  update: permissionProcedure("admin.settings").input(businessHoursInput.extend({ id })).mutation(({ ctx, input }) => updateBusinessHours(ctx.db, input)),
  delete: permissionProcedure("admin.settings").input(z.object({ id })).mutation(({ ctx, input }) => deleteBusinessHours(ctx.db, input)),
});

const field = z.object({
  key: z.string().trim().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, "Use letters, digits and _ (starting with a letter), at most 40."),
  label: z.string().trim().min(1, "Enter a label.").max(120),
  kind: z.enum(["TEXT", "SELECT", "CHECKBOX"]),
  options: z.array(z.string().trim().min(1).max(120)).max(50).default([]),
  required: z.boolean().default(false),
});

const faq = z.object({
  id: id.optional(),
  brandId: id,
  language: z.enum(LOCALES),
  category: z.string().trim().max(120).nullable().default(null),
  title: z.string().trim().min(1, "Enter a question.").max(300),
  body: z.string().trim().min(1, "Write the answer.").max(20_000),
  position: z.number().int().min(0).max(10_000).default(0),
  published: z.boolean().default(true),
});

export const contactFormAdminRouter = router({
  get: permissionProcedure("admin.brands").input(z.object({ brandId: id })).query(({ ctx, input }) => formAdmin(ctx.db, input)),
  saveFields: permissionProcedure("admin.brands").input(z.object({ brandId: id, fields: z.array(field).max(30, "At most 30 custom fields.") })).mutation(({ ctx, input }) => saveFormFields(ctx.db, input)),
  saveFaq: permissionProcedure("admin.brands").input(faq).mutation(({ ctx, input }) => saveFaqArticle(ctx.db, input)),
  deleteFaq: permissionProcedure("admin.brands").input(z.object({ id })).mutation(({ ctx, input }) => deleteFaqArticle(ctx.db, input)),
});

const minutes = z.number().int().min(1, "At least one minute.").max(525_600, "At most a year.").nullable();
const slaInput = z
  .object({
    name: z.string().trim().min(1, "Enter a name.").max(120),
    brandId: id.nullable(),
    priority: z.enum(["LOWEST", "LOW", "MEDIUM", "HIGH", "HIGHEST"]).nullable(),
    typeId: id.nullable(),
    channel: z.enum(["EMAIL", "FORM", "CHAT", "AGENT"]).nullable(),
    businessHoursId: id.nullable(),
    firstResponseMinutes: minutes,
    resolutionMinutes: minutes,
    warnAtPercent: z.number().int().min(0).max(99),
    pauseWhenPending: z.boolean(),
    active: z.boolean(),
  })
  .refine((p) => p.firstResponseMinutes !== null || p.resolutionMinutes !== null, { message: "Set a first-response or a resolution target.", path: ["firstResponseMinutes"] });

export const slaRouter = router({
  list: permissionProcedure("admin.settings").query(({ ctx }) => listSlaPolicies(ctx.db)),
  create: permissionProcedure("admin.settings").input(slaInput).mutation(({ ctx, input }) => createSlaPolicy(ctx.db, input)),
  update: permissionProcedure("admin.settings").input(slaInput.and(z.object({ id }))).mutation(({ ctx, input }) => updateSlaPolicy(ctx.db, input)),
  delete: permissionProcedure("admin.settings").input(z.object({ id })).mutation(({ ctx, input }) => deleteSlaPolicy(ctx.db, input)),
  move: permissionProcedure("admin.settings").input(z.object({ id, direction: z.enum(["up", "down"]) })).mutation(({ ctx, input }) => moveSlaPolicy(ctx.db, input)),
});
