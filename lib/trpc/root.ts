import "server-only";
import { router } from "@/lib/trpc/init";
import { authRouter } from "@/lib/trpc/routers/auth";
import { meRouter } from "@/lib/trpc/routers/me";
import { brandsRouter, emailLogRouter, groupsRouter, rolesRouter, usersRouter } from "@/lib/trpc/routers/admin";
import { ticketsRouter } from "@/lib/trpc/routers/tickets";
import { cannedRouter, customersRouter } from "@/lib/trpc/routers/customers";
import { catalogRouter } from "@/lib/trpc/routers/catalog";
import { viewsRouter } from "@/lib/trpc/routers/views";
import { reportsRouter } from "@/lib/trpc/routers/reports";

export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  users: usersRouter,
  roles: rolesRouter,
  groups: groupsRouter,
  brands: brandsRouter,
  emailLog: emailLogRouter,
  tickets: ticketsRouter,
  customers: customersRouter,
  canned: cannedRouter,
  catalog: catalogRouter,
  views: viewsRouter,
  reports: reportsRouter,
});

export type AppRouter = typeof appRouter;
