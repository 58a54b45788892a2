import { z } from "zod";
import { protectedProcedure, router } from "@/lib/trpc/init";
import { LOCALES, LOCALE_COOKIE } from "@/lib/i18n/config";
import { listBrands } from "@/lib/brands/service";
import { setAgentStatus, updateProfile } from "@/lib/users/profile";

/** The signed-in user's own profile: needs a session, no extra permission. */
export const meRouter = router({
  get: protectedProcedure.query(({ ctx }) => ctx.user),
  brands: protectedProcedure.query(({ ctx }) => listBrands(ctx.db, ctx.user.brandIds)),
  update: protectedProcedure
    .input(z.object({ name: z.string().trim().min(1).max(120).optional(), language: z.enum(LOCALES).optional(), signature: z.string().max(5000).nullable().optional() }))
    .mutation(async ({ ctx, input }) => {
      await updateProfile(ctx.db, ctx.user.id, input);
      if (input.language) {
        ctx.resHeaders.append("set-cookie", `${LOCALE_COOKIE}=${input.language}; Path=/; Max-Age=31536000; SameSite=Lax`);
      }
    }),
  setAgentStatus: protectedProcedure
    .input(z.object({ status: z.enum(["ONLINE", "INVISIBLE", "BREAK", "OFFLINE"]) }))
    .mutation(({ ctx, input }) => setAgentStatus(ctx.db, ctx.user.id, input.status)),
});
