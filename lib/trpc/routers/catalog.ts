import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { deleteCanned, deleteTag, listCatalog, renameTag, saveCanned, saveCatalogItem } from "@/lib/catalog/service";
import { getSetting, setSetting } from "@/lib/settings/service";
import { sanitizeAgentHtml } from "@/lib/tickets/html";

const id = z.string().min(1).max(64);
const name = z.string().trim().min(1, "Enter a name.").max(80);

export const catalogRouter = router({
  list: permissionProcedure("admin.settings").query(({ ctx }) => listCatalog(ctx.db)),
  save: permissionProcedure("admin.settings")
    .input(z.object({ kind: z.enum(["type", "topic"]), id: id.optional(), name, active: z.boolean().default(true) }))
    .mutation(({ ctx, input }) => saveCatalogItem(ctx.db, input)),
  renameTag: permissionProcedure("admin.settings").input(z.object({ id, name })).mutation(({ ctx, input }) => renameTag(ctx.db, input)),
  deleteTag: permissionProcedure("admin.settings").input(z.object({ id })).mutation(({ ctx, input }) => deleteTag(ctx.db, input)),
  saveCanned: permissionProcedure("admin.settings")
    .input(
      z.object({
        id: id.optional(),
        shortcut: z.string().trim().regex(/^[a-z0-9_-]{1,30}$/i, "Use letters, digits, - and _ (up to 30)."),
        title: z.string().trim().min(1, "Enter a title.").max(120),
        body: z.string().min(1, "Write the response.").max(20_000),
        brandId: id.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => saveCanned(ctx.db, { ...input, body: sanitizeAgentHtml(input.body) })),
  deleteCanned: permissionProcedure("admin.settings").input(z.object({ id })).mutation(({ ctx, input }) => deleteCanned(ctx.db, input)),
  ticketSettings: permissionProcedure("admin.settings").query(async ({ ctx }) => ({
    requireTopicToResolve: await getSetting(ctx.db, "tickets.requireTopicToResolve"),
    notifyCustomerOnAssign: await getSetting(ctx.db, "tickets.notifyCustomerOnAssign"),
    trashRetentionDays: await getSetting(ctx.db, "trash.retentionDays"),
  })),
  saveTicketSettings: permissionProcedure("admin.settings")
    .input(z.object({ requireTopicToResolve: z.boolean(), notifyCustomerOnAssign: z.boolean(), trashRetentionDays: z.number().int().min(1, "At least one day.").max(3650) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.$transaction(async (tx) => {
        await setSetting(tx, "tickets.requireTopicToResolve", input.requireTopicToResolve);
        await setSetting(tx, "tickets.notifyCustomerOnAssign", input.notifyCustomerOnAssign);
        await setSetting(tx, "trash.retentionDays", input.trashRetentionDays);
      });
    }),
});
