import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { ticketFilterSchema } from "@/lib/tickets/filters";
import { deleteView, listViews, saveView } from "@/lib/views/service";
import { forbidden } from "@/lib/errors";

export const viewsRouter = router({
  list: permissionProcedure("tickets.view").query(({ ctx }) => listViews(ctx.db, ctx.user)),
  save: permissionProcedure("tickets.view")
    .input(z.object({ name: z.string().trim().min(1, "Name the view.").max(60), filters: ticketFilterSchema, shared: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => {
      // Everyone may save personal views; shared ones are an admin's call.
      if (input.shared && !ctx.user.permissions.includes("admin.settings")) throw forbidden("Only admins can share views with everyone.");
      return saveView(ctx.db, ctx.user, input);
    }),
  delete: permissionProcedure("tickets.view")
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => deleteView(ctx.db, ctx.user, { id: input.id, canManageShared: ctx.user.permissions.includes("admin.settings") })),
});
