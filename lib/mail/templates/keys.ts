/** Every email written from an editable template (E11); client-safe. */
export const TEMPLATE_KEYS = [
  "agent_reply",
  "forward",
  "auto_reply",
  "assignment",
  "assignment_group",
  "assignment_customer",
  "form_confirmation",
  "chat_transcript",
  "chat_relay",
  "invite",
  "magic_link",
  "password_reset",
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** Account emails go to agents before any brand applies: one desk-wide version per language. */
export const DESK_WIDE_KEYS: readonly TemplateKey[] = ["invite", "magic_link", "password_reset"];
