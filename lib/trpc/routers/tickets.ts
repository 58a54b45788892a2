import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { ticketFilterSchema, PRIORITIES, STATUSES } from "@/lib/tickets/filters";
import { listTickets } from "@/lib/tickets/list";
import { countMatching } from "@/lib/tickets/query";
import { ticketDetail } from "@/lib/tickets/detail";
import { updateTicket } from "@/lib/tickets/update";
import { replyToTicket, MAX_ATTACHMENTS } from "@/lib/tickets/reply";
import { updateTicketTags } from "@/lib/tickets/tags";
import { moveTickets, purgeTickets } from "@/lib/tickets/state";
import { mergeTickets, splitMessage } from "@/lib/tickets/merge";
import { bulkUpdate } from "@/lib/tickets/bulk";
import { createAgentTicket } from "@/lib/tickets/agent-create";
import { ticketOptions } from "@/lib/tickets/options";

const number = z.number().int().positive().max(2_000_000_000);
const id = z.string().min(1).max(64);
const ticketIds = z.array(z.number().int().positive()).min(1).max(500);
const email = z.email("Enter a valid email address.").max(320);
const cursor = z.object({ id: z.number().int(), updatedAt: z.date().optional(), createdAt: z.date().optional(), priority: z.enum(PRIORITIES).optional() }).nullish();

const bulkAction = z.discriminatedUnion("type", [
  z.object({ type: z.literal("assign"), assigneeId: id.nullable(), groupId: id.nullable().optional() }),
  z.object({ type: z.literal("status"), status: z.enum(STATUSES) }),
  z.object({ type: z.literal("priority"), priority: z.enum(PRIORITIES) }),
  z.object({ type: z.literal("typeId"), typeId: id.nullable() }),
  z.object({ type: z.literal("topicId"), topicId: id.nullable() }),
  z.object({ type: z.literal("tags"), add: z.array(z.string().min(1).max(50)).max(20), remove: z.array(z.string().min(1).max(50)).max(20) }),
  z.object({ type: z.literal("state"), state: z.enum(["ACTIVE", "SPAM", "TRASH"]) }),
]);

export const ticketsRouter = router({
  list: permissionProcedure("tickets.view")
    .input(z.object({ filters: ticketFilterSchema, cursor, limit: z.number().int().min(1).max(100).default(50) }))
    .query(({ ctx, input }) => listTickets(ctx.db, { filters: input.filters, userId: ctx.user.id, brandIds: ctx.user.brandIds, cursor: input.cursor, limit: input.limit })),
  count: permissionProcedure("tickets.view")
    .input(z.object({ filters: ticketFilterSchema }))
    .query(({ ctx, input }) => countMatching(ctx.db, input.filters, { userId: ctx.user.id, brandIds: ctx.user.brandIds })),
  options: permissionProcedure("tickets.view").query(({ ctx }) => ticketOptions(ctx.db, ctx.user)),
  get: permissionProcedure("tickets.view").input(z.object({ number })).query(({ ctx, input }) => ticketDetail(ctx.db, ctx.user, input.number)),
  update: permissionProcedure("tickets.update")
    .input(
      z.object({
        number,
        patch: z.object({
          status: z.enum(STATUSES).optional(),
          priority: z.enum(PRIORITIES).optional(),
          typeId: id.nullable().optional(),
          topicId: id.nullable().optional(),
          subject: z.string().trim().min(1, "The subject cannot be empty.").max(500).optional(),
        }),
      }),
    )
    .mutation(({ ctx, input }) => updateTicket(ctx.db, ctx.user, input)),
  assign: permissionProcedure("tickets.assign")
    .input(z.object({ number, assigneeId: id.nullable().optional(), groupId: id.nullable().optional() }))
    .mutation(({ ctx, input }) => updateTicket(ctx.db, ctx.user, { number: input.number, patch: { assigneeId: input.assigneeId, groupId: input.groupId } })),
  tags: permissionProcedure("tickets.update")
    .input(z.object({ ticketIds, add: z.array(z.string().trim().min(1).max(50)).max(20).default([]), remove: z.array(z.string().trim().min(1).max(50)).max(20).default([]) }))
    .mutation(({ ctx, input }) => updateTicketTags(ctx.db, ctx.user, input)),
  reply: permissionProcedure("tickets.reply")
    .input(
      z.object({
        number,
        kind: z.enum(["REPLY", "NOTE"]),
        html: z.string().max(1_000_000, "This message is too long."),
        to: z.array(email).max(20).default([]),
        cc: z.array(email).max(20).default([]),
        attachmentIds: z.array(id).max(MAX_ATTACHMENTS, `At most ${MAX_ATTACHMENTS} attachments per message.`).default([]),
        status: z.enum(["OPEN", "PENDING", "RESOLVED"]).optional(),
      }),
    )
    .mutation(({ ctx, input }) => replyToTicket(ctx.db, ctx.user, input)),
  move: permissionProcedure("tickets.delete")
    .input(z.object({ ticketIds, state: z.enum(["ACTIVE", "SPAM", "TRASH"]), blockSender: z.boolean().optional() }))
    .mutation(({ ctx, input }) => moveTickets(ctx.db, ctx.user, input)),
  purge: permissionProcedure("tickets.purge").input(z.object({ ticketIds })).mutation(({ ctx, input }) => purgeTickets(ctx.db, ctx.user, input)),
  merge: permissionProcedure("tickets.merge").input(z.object({ sourceNumber: number, targetNumber: number })).mutation(({ ctx, input }) => mergeTickets(ctx.db, ctx.user, input)),
  split: permissionProcedure("tickets.merge").input(z.object({ number, messageId: z.number().int().positive() })).mutation(({ ctx, input }) => splitMessage(ctx.db, ctx.user, input)),
  bulk: permissionProcedure("tickets.bulk")
    .input(z.object({ ticketIds: z.array(z.number().int().positive()).min(1).max(10_000).optional(), filters: ticketFilterSchema.optional(), action: bulkAction }))
    .mutation(({ ctx, input }) => bulkUpdate(ctx.db, ctx.user, input)),
  create: permissionProcedure("tickets.create")
    .input(
      z.object({
        brandId: id,
        customer: z.object({ id: id.optional(), email: email.nullish(), name: z.string().trim().max(200).nullish() }),
        subject: z.string().trim().min(1, "Enter a subject.").max(500),
        html: z.string().min(1, "Write the message.").max(1_000_000),
        sendEmail: z.boolean().default(false),
        priority: z.enum(PRIORITIES).optional(),
        assigneeId: id.nullish(),
        groupId: id.nullish(),
        typeId: id.nullish(),
        topicId: id.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => createAgentTicket(ctx.db, ctx.user, input)),
});
