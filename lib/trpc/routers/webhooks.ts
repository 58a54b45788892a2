import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, rotateWebhookSecret, sendTestWebhook, updateWebhook } from "@/lib/webhooks/service";

const id = z.object({ id: z.string().min(1).max(64) });
const url = z
  .url({ protocol: /^https?$/, error: "Enter an http:// or https:// address." })
  .max(2000);
const events = z.array(z.enum(WEBHOOK_EVENTS)).min(1, "Choose at least one event.").max(WEBHOOK_EVENTS.length);

export const webhooksRouter = router({
  list: permissionProcedure("admin.automations").query(({ ctx }) => listWebhooks(ctx.db)),
  create: permissionProcedure("admin.automations").input(z.object({ url, events, active: z.boolean().optional() })).mutation(({ ctx, input }) => createWebhook(ctx.db, input)),
  update: permissionProcedure("admin.automations")
    .input(id.extend({ url: url.optional(), events: events.optional(), active: z.boolean().optional() }))
    .mutation(({ ctx, input }) => updateWebhook(ctx.db, input)),
  rotateSecret: permissionProcedure("admin.automations").input(id).mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, input)),
  delete: permissionProcedure("admin.automations").input(id).mutation(({ ctx, input }) => deleteWebhook(ctx.db, input)),
  deliveries: permissionProcedure("admin.automations").input(id).query(({ ctx, input }) => listDeliveries(ctx.db, input)),
  sendTest: permissionProcedure("admin.automations").input(id).mutation(({ ctx, input }) => sendTestWebhook(ctx.db, input)),
});
