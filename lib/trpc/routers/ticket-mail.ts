import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { forwardTicket } from "@/lib/mail/forward/service";

export const ticketMailRouter = router({
  /** E8: forward the conversation to other addresses. */
  forward: permissionProcedure("tickets.reply")
    .input(
      z.object({
        number: z.number().int().positive().max(2_000_000_000),
        to: z.array(z.email("Enter a valid email address.").max(320)).min(1, "Add at least one recipient.").max(20, "At most 20 recipients."),
        subject: z.string().trim().max(300, "At most 300 characters.").nullish(),
        note: z.string().max(10_000, "At most 10,000 characters.").nullish(),
        includeAttachments: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) => forwardTicket(ctx.db, ctx.user, input)),
});
