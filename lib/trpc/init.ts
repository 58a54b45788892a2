import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import { transformer } from "@/lib/trpc/transformer";
import { ZodError } from "zod";
import { db, type Db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { requestLocale, serverText, zodIssueText } from "@/lib/i18n/server-text";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import { userFromHeaders } from "@/lib/auth/request-user";
import { clientIp } from "@/lib/forms/form-data";
import type { CurrentUser } from "@/lib/auth/current-user";

export type Context = { db: Db; user: CurrentUser | null; headers: Headers; resHeaders: Headers; ip: string | null };

export async function createContext(opts: { req: Request; resHeaders: Headers }): Promise<Context> {
  const user = await userFromHeaders(opts.req.headers);
  const ip = clientIp(opts.req.headers);
  return { db, user, headers: opts.req.headers, resHeaders: opts.resHeaders, ip };
}

/** Procedure metadata: the permission a procedure requires, so tests can check every one. */
export type Meta = { permission?: Permission; public?: true };

const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer,
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    // Messages are written in English (the msgid); the caller's language picks the text.
    const locale = requestLocale(ctx?.user, ctx?.headers);
    const tr = (m: string) => serverText(locale, m);
    const trIssue = (i: { message: string; code?: string }) => zodIssueText(locale, i);
    // A readable sentence instead of zod's JSON dump, for toasts and alerts.
    const message =
      cause instanceof ZodError
        ? cause.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${trIssue(i)}` : trIssue(i))).join("; ")
        : tr(shape.message);
    return {
      ...shape,
      message,
      data: {
        ...shape.data,
        // Field messages for forms: from zod, or from a domain error that names its field.
        fieldErrors:
          cause instanceof ZodError
            ? Object.fromEntries(cause.issues.map((i) => [i.path.join("."), trIssue(i)]))
            : cause instanceof DomainError && cause.field
              ? { [cause.field]: tr(cause.message) }
              : null,
      },
    };
  },
});

/** Domain errors map to tRPC codes here, and only here. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
const baseProcedure = t.procedure.use(domainErrors);
/** No session needed — only for the ways people without one get one. */
export const publicProcedure = baseProcedure.meta({ public: true });

export const protectedProcedure = baseProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Every router uses this for anything beyond reading one's own profile. */
export const permissionProcedure = (permission: Permission) =>
  protectedProcedure.meta({ permission }).use(({ ctx, next }) => {
    if (!hasPermission(ctx.user.permissions, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the “${permission}” permission.` });
    }
    return next();
  });
