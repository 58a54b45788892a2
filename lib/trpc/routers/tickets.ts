import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { listTickets } from "@/lib/tickets/list";

export const ticketsRouter = router({
  list: permissionProcedure("tickets.view")
    .input(
      z.object({
        state: z.enum(["ACTIVE", "SPAM", "TRASH"]).default("ACTIVE"),
        brandId: z.string().max(64).optional(),
        cursor: z.object({ updatedAt: z.date(), id: z.number().int() }).nullish(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .query(({ ctx, input }) => {
      // An agent only ever sees brands they have access to, whatever the URL says.
      const brandIds = input.brandId ? ctx.user.brandIds.filter((b) => b === input.brandId) : ctx.user.brandIds;
      return listTickets(ctx.db, { brandIds, state: input.state, cursor: input.cursor, limit: input.limit });
    }),
});
