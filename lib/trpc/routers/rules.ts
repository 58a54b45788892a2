import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { conditionsSchema, ruleInputSchema } from "@/lib/automation/schema";
import { createRule, deleteRule, listRules, moveRule, previewRule, setRuleActive, updateRule } from "@/lib/automation/rules";

const id = z.string().min(1).max(64);

export const rulesRouter = router({
  list: permissionProcedure("admin.automations").query(({ ctx }) => listRules(ctx.db)),
  create: permissionProcedure("admin.automations").input(ruleInputSchema).mutation(({ ctx, input }) => createRule(ctx.db, input)),
  update: permissionProcedure("admin.automations").input(ruleInputSchema.extend({ id })).mutation(({ ctx, input }) => updateRule(ctx.db, input)),
  setActive: permissionProcedure("admin.automations").input(z.object({ id, active: z.boolean() })).mutation(({ ctx, input }) => setRuleActive(ctx.db, input)),
  delete: permissionProcedure("admin.automations").input(z.object({ id })).mutation(({ ctx, input }) => deleteRule(ctx.db, input)),
  move: permissionProcedure("admin.automations").input(z.object({ id, direction: z.enum(["up", "down"]) })).mutation(({ ctx, input }) => moveRule(ctx.db, input)),
  preview: permissionProcedure("admin.automations")
    .input(z.object({ brandId: id.nullable(), conditions: conditionsSchema }))
    .mutation(({ ctx, input }) => previewRule(ctx.db, { rule: input, brandIds: ctx.user.brandIds })),
});
