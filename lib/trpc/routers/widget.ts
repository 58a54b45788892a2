import { z } from "zod";
import { hotDb } from "@/lib/hot-db";
import { publicProcedure, router, type Context } from "@/lib/trpc/init";
import { startChat, visitorEnd, visitorRate, visitorSeen, visitorSend, visitorSession, visitorVisit, widgetConfig, type VisitorMeta } from "@/lib/chat/visitor";
import { offlineMessage } from "@/lib/chat/offline";

const slug = z.string().min(1).max(64);
const token = z.string().min(1).max(300);
const chatId = z.number().int().positive();
const body = z.string().max(5000, "Messages can be at most 5000 characters.");
const url = z.string().url().max(2000);

const meta = (ctx: Context): VisitorMeta => ({ ip: ctx.ip, userAgent: ctx.headers.get("user-agent") });

/** The chat widget's API: no desk session — the signed visitor token is the identity. */
export const widgetRouter = router({
  config: publicProcedure.input(z.object({ brand: slug })).query(({ ctx, input }) => widgetConfig(ctx.db, input)),
  session: publicProcedure
    .input(z.object({ brand: slug, token: token.optional(), language: z.string().max(10).optional() }))
    .mutation(({ ctx, input }) => visitorSession(hotDb(), input, meta(ctx))),
  start: publicProcedure
    .input(
      z.object({
        token,
        name: z.string().max(120, "Names can be at most 120 characters.").optional(),
        email: z.union([z.literal(""), z.string().email("Enter a valid email address.").max(254)]).optional(),
        message: body,
        page: z.object({ url, title: z.string().max(300).optional() }).optional(),
      }),
    )
    .mutation(({ ctx, input }) => startChat(hotDb(), input, meta(ctx))),
  send: publicProcedure.input(z.object({ token, chatId, body, attachmentIds: z.array(z.string().min(1).max(64)).max(5).optional() })).mutation(({ input }) => visitorSend(hotDb(), input)),
  seen: publicProcedure.input(z.object({ token, chatId, upToId: z.number().int().positive() })).mutation(({ input }) => visitorSeen(hotDb(), input)),
  end: publicProcedure.input(z.object({ token, chatId })).mutation(({ ctx, input }) => visitorEnd(ctx.db, input)),
  rate: publicProcedure
    .input(z.object({ token, chatId, rating: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => visitorRate(ctx.db, input)),
  offline: publicProcedure
    .input(
      z.object({
        brand: slug,
        token: token.optional(),
        name: z.string().trim().min(1, "Please tell us your name.").max(120),
        email: z.string().email("Enter a valid email address.").max(254),
        message: z.string().min(1, "Write a message first.").max(5000, "Messages can be at most 5000 characters."),
      }),
    )
    .mutation(({ ctx, input }) => offlineMessage(ctx.db, input, meta(ctx))),
  visit: publicProcedure.input(z.object({ token, url, title: z.string().max(300).optional() })).mutation(({ ctx, input }) => visitorVisit(ctx.db, input)),
});
