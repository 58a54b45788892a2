import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { reportFilterSchema } from "@/lib/reports/filters";
import { runReport } from "@/lib/reports/service";
import { chatCockpit } from "@/lib/reports/cockpit";

const input = z.object({ filters: reportFilterSchema.default({ preset: "30d" }) }).default({ filters: { preset: "30d" } });

export const reportsRouter = router({
  tickets: permissionProcedure("reports.view").input(input).query(({ ctx, input }) => runReport(ctx.db, { name: "tickets", filters: input.filters, brandIds: ctx.user.brandIds })),
  agents: permissionProcedure("reports.view").input(input).query(({ ctx, input }) => runReport(ctx.db, { name: "agents", filters: input.filters, brandIds: ctx.user.brandIds })),
  chats: permissionProcedure("reports.view").input(input).query(({ ctx, input }) => runReport(ctx.db, { name: "chats", filters: input.filters, brandIds: ctx.user.brandIds })),
  sla: permissionProcedure("reports.view").input(input).query(({ ctx, input }) => runReport(ctx.db, { name: "sla", filters: input.filters, brandIds: ctx.user.brandIds })),
  cockpit: permissionProcedure("reports.view")
    .input(z.object({ brandId: z.string().min(1).max(64).optional() }).default({}))
    .query(({ ctx, input }) => chatCockpit(ctx.db, { brandIds: input.brandId ? ctx.user.brandIds.filter((b) => b === input.brandId) : ctx.user.brandIds })),
});
