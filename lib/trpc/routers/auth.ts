import { z } from "zod";
import { publicProcedure, router } from "@/lib/trpc/init";
import { acceptInvitation, invitationInfo, requestMagicLink, requestPasswordReset, resetPassword } from "@/lib/users/account";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";

const email = z.email("Enter a valid email address.").max(320);
const token = z.string().min(10).max(200);
const password = z.string().min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`).max(200);

/** Public by design: these are how people without a session get one. */
export const authRouter = router({
  requestMagicLink: publicProcedure.input(z.object({ email })).mutation(({ ctx, input }) => requestMagicLink(ctx.db, input)),
  requestPasswordReset: publicProcedure.input(z.object({ email })).mutation(({ ctx, input }) => requestPasswordReset(ctx.db, input)),
  resetPassword: publicProcedure.input(z.object({ token, password })).mutation(({ ctx, input }) => resetPassword(ctx.db, input)),
  invitation: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => invitationInfo(ctx.db, input)),
  acceptInvitation: publicProcedure
    .input(z.object({ token, password, name: z.string().trim().min(1).max(120).optional() }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, input)),
});
