import "server-only";
import { router } from "@/lib/trpc/init";
import { authRouter } from "@/lib/trpc/routers/auth";
import { meRouter } from "@/lib/trpc/routers/me";
import { brandsRouter, emailLogRouter, groupsRouter, rolesRouter, usersRouter } from "@/lib/trpc/routers/admin";
import { ticketsRouter } from "@/lib/trpc/routers/tickets";
import { cannedRouter, customersRouter } from "@/lib/trpc/routers/customers";
import { catalogRouter } from "@/lib/trpc/routers/catalog";
import { viewsRouter } from "@/lib/trpc/routers/views";
import { blocklistRouter, mailboxesRouter } from "@/lib/trpc/routers/mail-admin";
import { templatesRouter } from "@/lib/trpc/routers/templates";
import { ticketMailRouter } from "@/lib/trpc/routers/ticket-mail";
import { webhooksRouter } from "@/lib/trpc/routers/webhooks";
import { rulesRouter } from "@/lib/trpc/routers/rules";
import { businessHoursRouter, contactFormAdminRouter, slaRouter } from "@/lib/trpc/routers/settings-admin";
import { reportsRouter } from "@/lib/trpc/routers/reports";
import { chatRouter } from "@/lib/trpc/routers/chat";
import { widgetRouter } from "@/lib/trpc/routers/widget";

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
  mailboxes: mailboxesRouter,
  blocklist: blocklistRouter,
  templates: templatesRouter,
  ticketMail: ticketMailRouter,
  webhooks: webhooksRouter,
  rules: rulesRouter,
  businessHours: businessHoursRouter,
  sla: slaRouter,
  contactFormAdmin: contactFormAdminRouter,
  reports: reportsRouter,
  chat: chatRouter,
  widget: widgetRouter,
});

export type AppRouter = typeof appRouter;
