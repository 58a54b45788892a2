import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { searchCustomers, updateCustomer } from "@/lib/customers/service";
import { listCannedResponses } from "@/lib/canned/service";
import { LOCALES } from "@/lib/i18n/config";

const nullableText = (max: number) => z.string().trim().max(max).nullish().transform((v) => (v === "" ? null : v));

export const customersRouter = router({
  // For choosing a new ticket's requester: whoever may open tickets may look customers up.
  search: permissionProcedure("tickets.create")
    .input(z.object({ q: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(20).default(8) }))
    .query(({ ctx, input }) => searchCustomers(ctx.db, ctx.user, input)),
  update: permissionProcedure("customers.edit")
    .input(
      z.object({
        customerId: z.string().min(1).max(64),
        name: nullableText(200),
        email: z.union([z.email("Enter a valid email address.").max(320), z.literal("")]).nullish().transform((v) => (v === "" ? null : v)),
        phone: nullableText(50),
        organisation: nullableText(200),
        language: z.enum(LOCALES).nullish(),
        tags: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
        // Replaces the whole set: what the panel shows is what is kept.
        attributes: z
          .record(z.string().regex(/\S/, "Name the attribute.").max(50), z.string().max(500))
          .refine((a) => Object.keys(a).length <= 30, "At most 30 attributes.")
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateCustomer(ctx.db, ctx.user, input)),
});

export const cannedRouter = router({
  list: permissionProcedure("tickets.reply").query(({ ctx }) => listCannedResponses(ctx.db, ctx.user)),
});
