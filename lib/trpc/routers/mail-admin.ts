import { z } from "zod";
import { permissionProcedure, router } from "@/lib/trpc/init";
import { createMailbox, deleteMailbox, listMailboxes, updateMailbox } from "@/lib/mail/mailboxes/service";
import { testMailboxImap, testMailboxSmtp } from "@/lib/mail/mailboxes/connection-test";
import { failingMailboxes } from "@/lib/mail/mailboxes/health";
import { addBlock, listBlocklist, removeBlock } from "@/lib/mail/blocklist/service";
import { getSetting, setSetting } from "@/lib/settings/service";

const id = z.string().min(1).max(64);
const host = z.string().trim().min(1, "Enter the server name.").max(255).regex(/^[A-Za-z0-9.\-:[\]]+$/, "Enter a host name like imap.example.com.");
const port = z.number({ error: "Enter a port number." }).int().min(1, "Ports are 1–65535.").max(65535, "Ports are 1–65535.");
const password = z.string().max(500).nullish();

const outbound = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("DEFAULT") }),
  z.object({ kind: z.literal("SMTP"), host, port, secure: z.boolean(), user: z.string().trim().max(320).nullable(), password }),
]);

const mailboxInput = z.object({
  brandId: id,
  name: z.string().trim().min(1, "Enter a name.").max(120),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #0ea5e9."),
  address: z.email("Enter a valid email address.").max(320),
  imapHost: host,
  imapPort: port,
  imapTls: z.boolean(),
  imapUser: z.string().trim().min(1, "Enter the IMAP user name.").max(320),
  imapPassword: password,
  imapFolder: z.string().trim().min(1, "Enter a folder, usually INBOX.").max(255),
  active: z.boolean(),
  outbound,
});

export const mailboxesRouter = router({
  list: permissionProcedure("admin.mailboxes").query(({ ctx }) => listMailboxes(ctx.db, ctx.user.brandIds)),
  create: permissionProcedure("admin.mailboxes").input(mailboxInput).mutation(({ ctx, input }) => createMailbox(ctx.db, ctx.user.brandIds, input)),
  update: permissionProcedure("admin.mailboxes")
    .input(mailboxInput.extend({ mailboxId: id }))
    .mutation(({ ctx, input }) => updateMailbox(ctx.db, ctx.user.brandIds, input)),
  delete: permissionProcedure("admin.mailboxes").input(z.object({ mailboxId: id })).mutation(({ ctx, input }) => deleteMailbox(ctx.db, ctx.user.brandIds, input.mailboxId)),
  testImap: permissionProcedure("admin.mailboxes")
    .input(z.object({ mailboxId: id.optional(), host, port, tls: z.boolean(), user: z.string().trim().min(1, "Enter the IMAP user name.").max(320), password, folder: z.string().trim().min(1).max(255) }))
    .mutation(({ ctx, input }) => testMailboxImap(ctx.db, ctx.user.brandIds, input)),
  testSmtp: permissionProcedure("admin.mailboxes")
    .input(z.object({ mailboxId: id.optional(), host, port, secure: z.boolean(), user: z.string().trim().max(320).nullish(), password }))
    .mutation(({ ctx, input }) => testMailboxSmtp(ctx.db, ctx.user.brandIds, input)),
  /** For the desk banner: mailboxes failing longer than the alert setting. */
  alerts: permissionProcedure("admin.mailboxes").query(({ ctx }) => failingMailboxes(ctx.db, ctx.user.brandIds)),
  alertSetting: permissionProcedure("admin.mailboxes").query(async ({ ctx }) => ({ minutes: await getSetting(ctx.db, "mail.alertAfterMinutes") })),
  setAlertSetting: permissionProcedure("admin.mailboxes")
    .input(z.object({ minutes: z.number().int().min(1, "At least 1 minute.").max(1440, "At most 1440 minutes (a day).") }))
    .mutation(async ({ ctx, input }) => {
      await setSetting(ctx.db, "mail.alertAfterMinutes", input.minutes);
      return { minutes: input.minutes };
    }),
});

export const blocklistRouter = router({
  list: permissionProcedure("admin.mailboxes").query(({ ctx }) => listBlocklist(ctx.db)),
  add: permissionProcedure("admin.mailboxes")
    .input(z.object({ pattern: z.string().trim().max(320).regex(/^([^\s@]+@|@)[^\s@]+\.[^\s@]+$/, "Enter an address (name@example.com) or a domain (@example.com)."), reason: z.string().trim().max(200).nullish() }))
    .mutation(({ ctx, input }) => addBlock(ctx.db, input)),
  remove: permissionProcedure("admin.mailboxes").input(z.object({ id })).mutation(({ ctx, input }) => removeBlock(ctx.db, input.id)),
});
