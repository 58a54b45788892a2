import "server-only";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/messages";
import { renderTemplate } from "@/lib/mail/templates/render";

type Built = { subject: string; html: string; text: string };

// Account emails are desk-wide (no brand): the desk-wide template or the default.

export async function inviteEmail(tx: Tx, locale: string, p: { name: string; inviter: string; token: string }): Promise<Built> {
  const url = `${env.APP_URL}/auth/invite?token=${encodeURIComponent(p.token)}`;
  const { subject, html, text } = await renderTemplate(tx, { key: "invite", language: locale, vars: { "user.name": p.name, "inviter.name": p.inviter }, action: { label: translator(locale, "emails")("invite.action"), url } });
  return { subject, html, text };
}

export async function magicLinkEmail(tx: Tx, locale: string, p: { name: string; token: string }): Promise<Built> {
  const url = `${env.APP_URL}/auth/magic?token=${encodeURIComponent(p.token)}`;
  const { subject, html, text } = await renderTemplate(tx, { key: "magic_link", language: locale, vars: { "user.name": p.name }, action: { label: translator(locale, "emails")("magic.action"), url } });
  return { subject, html, text };
}

export async function passwordResetEmail(tx: Tx, locale: string, p: { name: string; token: string }): Promise<Built> {
  const url = `${env.APP_URL}/auth/reset?token=${encodeURIComponent(p.token)}`;
  const { subject, html, text } = await renderTemplate(tx, { key: "password_reset", language: locale, vars: { "user.name": p.name }, action: { label: translator(locale, "emails")("reset.action"), url } });
  return { subject, html, text };
}
