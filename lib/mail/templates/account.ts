import "server-only";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/messages";
import { emailLayout } from "@/lib/mail/templates/layout";

type Built = { subject: string; html: string; text: string };

export function inviteEmail(locale: string, p: { name: string; inviter: string; token: string }): Built {
  const t = translator(locale, "emails");
  const url = `${env.APP_URL}/auth/invite?token=${encodeURIComponent(p.token)}`;
  const subject = t("invite.subject");
  return {
    subject,
    ...emailLayout({
      title: subject,
      paragraphs: [t("greeting", { name: p.name }), t("invite.body", { inviter: p.inviter })],
      action: { label: t("invite.action"), url },
      footer: t("invite.footer"),
    }),
  };
}

export function magicLinkEmail(locale: string, p: { name: string; token: string }): Built {
  const t = translator(locale, "emails");
  const url = `${env.APP_URL}/auth/magic?token=${encodeURIComponent(p.token)}`;
  const subject = t("magic.subject");
  return {
    subject,
    ...emailLayout({
      title: subject,
      paragraphs: [t("greeting", { name: p.name }), t("magic.body")],
      action: { label: t("magic.action"), url },
      footer: t("ignore"),
    }),
  };
}

export function passwordResetEmail(locale: string, p: { name: string; token: string }): Built {
  const t = translator(locale, "emails");
  const url = `${env.APP_URL}/auth/reset?token=${encodeURIComponent(p.token)}`;
  const subject = t("reset.subject");
  return {
    subject,
    ...emailLayout({
      title: subject,
      paragraphs: [t("greeting", { name: p.name }), t("reset.body")],
      action: { label: t("reset.action"), url },
      footer: t("ignore"),
    }),
  };
}
