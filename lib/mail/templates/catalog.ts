import "server-only";
import { translator } from "@/lib/i18n/messages";

/**
 * E11: every email the desk writes from a template, the placeholders it offers, and
 * its default text per language. Defaults come from the message catalogue (ICU
 * arguments filled with the placeholders themselves), so they never drift from it.
 *
 * Body format: paragraphs separated by a blank line. A paragraph that is exactly
 * {{message.body}} holds the agent's formatted message; {{button}} holds the action
 * button of account and notification emails.
 */
import { TEMPLATE_KEYS, type TemplateKey } from "@/lib/mail/templates/keys";

export { TEMPLATE_KEYS, type TemplateKey };

/** "plain": the agent's own words, no title. "notice": a titled system email. */
export type TemplateLayout = "plain" | "notice";

type Def = { layout: TemplateLayout; placeholders: readonly string[]; defaults: (locale: string) => { subject: string; body: string } };

const TICKET = ["ticket.number", "ticket.subject", "customer.name", "customer.email", "brand.name"] as const;
const P = (name: string) => `{{${name}}}`;
const paras = (...ps: (string | false)[]) => ps.filter((p): p is string => !!p).join("\n\n");

export const TEMPLATES: Record<TemplateKey, Def> = {
  agent_reply: {
    layout: "plain",
    placeholders: [...TICKET, "agent.name", "agent.signature", "message.body"],
    // The [#number] token is always added to the subject so replies thread (E4).
    defaults: () => ({ subject: P("ticket.subject"), body: paras(P("message.body"), P("agent.signature")) }),
  },
  forward: {
    layout: "plain",
    placeholders: [...TICKET, "agent.name", "forward.note", "message.body"],
    defaults: (l) => {
      const t = translator(l, "mailTemplates");
      return { subject: t("forward.subject", { subject: P("ticket.subject") }), body: paras(P("forward.note"), t("forward.intro", { agent: P("agent.name"), number: P("ticket.number") }), P("message.body")) };
    },
  },
  auto_reply: {
    layout: "notice",
    placeholders: TICKET,
    defaults: (l) => {
      const t = translator(l, "mailTemplates");
      const g = translator(l, "emails");
      return { subject: t("autoReply.subject", { number: P("ticket.number"), subject: P("ticket.subject") }), body: paras(g("greeting", { name: P("customer.name") }), t("autoReply.body", { brand: P("brand.name"), number: P("ticket.number") })) };
    },
  },
  assignment: {
    layout: "notice",
    placeholders: [...TICKET, "agent.name", "actor.name", "button"],
    defaults: (l) => {
      const t = translator(l, "emails");
      return { subject: t("assigned.subject", { number: P("ticket.number"), subject: P("ticket.subject") }), body: paras(t("greeting", { name: P("agent.name") }), t("assigned.toYou", { actor: P("actor.name") }), P("button")) };
    },
  },
  assignment_group: {
    layout: "notice",
    placeholders: [...TICKET, "agent.name", "actor.name", "group.name", "button"],
    defaults: (l) => {
      const t = translator(l, "emails");
      return { subject: t("assigned.subject", { number: P("ticket.number"), subject: P("ticket.subject") }), body: paras(t("greeting", { name: P("agent.name") }), t("assigned.toGroup", { actor: P("actor.name"), group: P("group.name") }), P("button")) };
    },
  },
  assignment_customer: {
    layout: "notice",
    placeholders: [...TICKET, "agent.name"],
    defaults: (l) => {
      const t = translator(l, "emails");
      return { subject: t("assignedCustomer.subject", { number: P("ticket.number"), subject: P("ticket.subject") }), body: paras(t("greeting", { name: P("customer.name") }), t("assignedCustomer.body", { agent: P("agent.name") })) };
    },
  },
  form_confirmation: {
    layout: "notice",
    placeholders: [...TICKET, "message.excerpt", "hours.note"],
    defaults: (l) => {
      const t = translator(l, "emails");
      return {
        subject: t("formConfirmation.subject", { number: P("ticket.number"), subject: P("ticket.subject") }),
        // hours.note is empty during business hours and says when we are back otherwise.
        body: paras(t("greeting", { name: P("customer.name") }), `${t("formConfirmation.body", { number: P("ticket.number"), brand: P("brand.name") })} ${P("hours.note")}`, `“${P("message.excerpt")}”`),
      };
    },
  },
  chat_transcript: {
    layout: "notice",
    placeholders: ["customer.name", "customer.email", "brand.name", "chat.transcript"],
    defaults: (l) => {
      const t = translator(l, "mailTemplates");
      const g = translator(l, "emails");
      return { subject: t("chatTranscript.subject", { brand: P("brand.name") }), body: paras(g("greeting", { name: P("customer.name") }), t("chatTranscript.body"), P("chat.transcript")) };
    },
  },
  chat_relay: {
    layout: "notice",
    placeholders: ["customer.name", "agent.name", "brand.name", "message.body"],
    defaults: (l) => {
      const t = translator(l, "mailTemplates");
      const g = translator(l, "emails");
      return { subject: t("chatRelay.subject", { agent: P("agent.name"), brand: P("brand.name") }), body: paras(g("greeting", { name: P("customer.name") }), t("chatRelay.intro", { agent: P("agent.name") }), P("message.body"), t("chatRelay.footer")) };
    },
  },
  invite: {
    layout: "notice",
    placeholders: ["user.name", "inviter.name", "button"],
    defaults: (l) => {
      const t = translator(l, "emails");
      return { subject: t("invite.subject"), body: paras(t("greeting", { name: P("user.name") }), t("invite.body", { inviter: P("inviter.name") }), P("button"), t("invite.footer")) };
    },
  },
  magic_link: {
    layout: "notice",
    placeholders: ["user.name", "button"],
    defaults: (l) => {
      const t = translator(l, "emails");
      return { subject: t("magic.subject"), body: paras(t("greeting", { name: P("user.name") }), t("magic.body"), P("button"), t("ignore")) };
    },
  },
  password_reset: {
    layout: "notice",
    placeholders: ["user.name", "button"],
    defaults: (l) => {
      const t = translator(l, "emails");
      return { subject: t("reset.subject"), body: paras(t("greeting", { name: P("user.name") }), t("reset.body"), P("button"), t("ignore")) };
    },
  },
};

// A default text is the same for a language every time (the catalogue is built in), and a
// translator costs more than the rest of a render: each is made once per language.
for (const def of Object.values(TEMPLATES)) {
  const make = def.defaults;
  const made = new Map<string, { subject: string; body: string }>();
  def.defaults = (locale) => {
    let text = made.get(locale);
    if (!text) {
      text = make(locale);
      if (made.size < 50) made.set(locale, text);
    }
    return { ...text };
  };
}

export const isTemplateKey = (k: string): k is TemplateKey => (TEMPLATE_KEYS as readonly string[]).includes(k);

const PLACEHOLDER = /\{\{\s*([a-zA-Z]+(?:\.[a-zA-Z]+)*)\s*\}\}/g;

/** Placeholders used in a text that the template does not offer (shown to the admin on save). */
export function unknownPlaceholders(key: TemplateKey, ...texts: string[]): string[] {
  const allowed = new Set(TEMPLATES[key].placeholders);
  const used = texts.flatMap((t) => [...t.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  return [...new Set(used.filter((u) => !allowed.has(u)))];
}

export function fillPlaceholders(text: string, vars: Record<string, string>, escape: (s: string) => string = (s) => s): string {
  return text.replace(PLACEHOLDER, (_, name: string) => escape(vars[name] ?? ""));
}
