import { z } from "zod";
import { hotDb } from "@/lib/hot-db";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { agentHeartbeat, agentSeen, agentSend, banVisitor, chatArchive, chatDetail, chatOverview, resolveChat, takeChat, transferChat, transferTargets } from "@/lib/chat/agent";
import { convertChat } from "@/lib/chat/convert";

const id = z.number().int().positive();
const cuid = z.string().min(1).max(64);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31");

const answer = () => permissionProcedure("chats.answer");

export const chatRouter = router({
  overview: answer().input(z.object({ brandId: cuid.optional() })).query(({ ctx, input }) => chatOverview(hotDb(), ctx.user, input)),
  get: answer().input(z.object({ id })).query(({ ctx, input }) => chatDetail(hotDb(), ctx.user, input.id)),
  send: answer()
    .input(z.object({ id, body: z.string().max(5000, "Messages can be at most 5000 characters."), note: z.boolean().optional(), attachmentIds: z.array(cuid).max(5).optional() }))
    .mutation(({ ctx, input }) => agentSend(hotDb(), ctx.user, input)),
  seen: answer().input(z.object({ id, upToId: id })).mutation(({ ctx, input }) => agentSeen(hotDb(), ctx.user, input)),
  take: answer().input(z.object({ id })).mutation(({ ctx, input }) => takeChat(ctx.db, ctx.user, input)),
  resolve: answer().input(z.object({ id, topicId: cuid.nullable() })).mutation(({ ctx, input }) => resolveChat(ctx.db, ctx.user, input)),
  transfer: answer().input(z.object({ id, toUserId: cuid.optional(), toGroupId: cuid.optional() })).mutation(({ ctx, input }) => transferChat(ctx.db, ctx.user, input)),
  transferTargets: answer().input(z.object({ id })).query(({ ctx, input }) => transferTargets(ctx.db, ctx.user, input)),
  convert: answer().input(z.object({ id, email: z.string().max(254).optional() })).mutation(({ ctx, input }) => convertChat(ctx.db, ctx.user, input)),
  ban: answer().input(z.object({ visitorId: cuid, banned: z.boolean() })).mutation(({ ctx, input }) => banVisitor(ctx.db, ctx.user, input)),
  archive: answer()
    .input(z.object({ brandId: cuid.optional(), groupId: cuid.optional(), agentId: cuid.optional(), topicId: cuid.optional(), from: day.optional(), to: day.optional(), cursor: id.optional() }))
    .query(({ ctx, input }) => chatArchive(ctx.db, ctx.user, input)),
  heartbeat: answer().input(z.object({}).optional()).mutation(({ ctx }) => agentHeartbeat(hotDb(), ctx.user)),
});
