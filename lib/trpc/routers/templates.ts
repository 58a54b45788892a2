import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { LOCALES } from "@/lib/i18n/config";
import { TEMPLATE_KEYS } from "@/lib/mail/templates/catalog";
import { brandAppearance, getTemplate, previewTemplate, resetTemplate, saveAppearance, saveTemplate, templateCatalog } from "@/lib/mail/templates/admin";

const ref = z.object({ brandId: z.string().min(1).max(64), key: z.enum(TEMPLATE_KEYS), language: z.enum(LOCALES) });
const text = ref.extend({ subject: z.string().max(300, "At most 300 characters."), body: z.string().max(20_000, "At most 20,000 characters.") });
const optional = (max: number) => z.string().trim().max(max).nullish();

export const templatesRouter = router({
  catalog: permissionProcedure("admin.settings").query(() => templateCatalog()),
  get: permissionProcedure("admin.settings").input(ref).query(({ ctx, input }) => getTemplate(ctx.db, ctx.user.brandIds, input)),
  save: permissionProcedure("admin.settings").input(text).mutation(({ ctx, input }) => saveTemplate(ctx.db, ctx.user.brandIds, input)),
  reset: permissionProcedure("admin.settings").input(ref).mutation(({ ctx, input }) => resetTemplate(ctx.db, ctx.user.brandIds, input)),
  preview: permissionProcedure("admin.settings").input(text).mutation(({ ctx, input }) => previewTemplate(ctx.db, ctx.user.brandIds, ctx.user, input)),
  appearance: permissionProcedure("admin.settings").input(z.object({ brandId: z.string().min(1).max(64) })).query(({ ctx, input }) => brandAppearance(ctx.db, ctx.user.brandIds, input.brandId)),
  saveAppearance: permissionProcedure("admin.settings")
    .input(z.object({ brandId: z.string().min(1).max(64), headerText: optional(200), signature: optional(1000), senderName: optional(120), color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #4f46e5.") }))
    .mutation(({ ctx, input }) => {
      const { brandId, ...look } = input;
      return saveAppearance(ctx.db, ctx.user.brandIds, brandId, look);
    }),
});
