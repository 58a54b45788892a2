import { z } from "zod";

/** Client-safe: the rule format stored in AutomationRule.conditions / .actions and edited in the admin. */
export const TRIGGERS = ["TICKET_CREATED", "TICKET_UPDATED", "CUSTOMER_REPLIED", "AGENT_REPLIED", "TIME_ELAPSED"] as const;

export const CONDITION_FIELDS = ["channel", "status", "priority", "typeId", "topicId", "groupId", "assigneeId", "subject", "body", "senderEmail", "senderDomain", "tag", "customerLanguage", "businessHours", "hoursSinceCreated", "hoursSinceUpdated", "hoursSinceCustomerMessage"] as const;
export const OPERATORS = ["is", "is_not", "contains", "not_contains", "more_than", "less_than"] as const;
/** Fields measured in hours, compared with more_than / less_than. */
export const HOUR_FIELDS: readonly string[] = ["hoursSinceCreated", "hoursSinceUpdated", "hoursSinceCustomerMessage"];

export const conditionSchema = z.object({
  field: z.enum(CONDITION_FIELDS),
  op: z.enum(OPERATORS),
  value: z.string().trim().max(500),
});
export const conditionsSchema = z.object({
  match: z.enum(["all", "any"]).default("all"),
  items: z.array(conditionSchema).max(20, "At most 20 conditions.").default([]),
});

const text = z.string().trim().min(1, "Write the text.").max(5000);
export const actionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("set_status"), value: z.enum(["OPEN", "PENDING", "RESOLVED"]) }),
  z.object({ type: z.literal("set_priority"), value: z.enum(["LOWEST", "LOW", "MEDIUM", "HIGH", "HIGHEST"]) }),
  z.object({ type: z.literal("set_type"), value: z.string().min(1).max(64) }),
  z.object({ type: z.literal("set_topic"), value: z.string().min(1).max(64) }),
  z.object({ type: z.literal("set_group"), value: z.string().min(1).max(64) }),
  /** An agent by id, or "round_robin" / "least_loaded" among the ticket group's online members. */
  z.object({ type: z.literal("assign"), value: z.string().min(1).max(64), groupId: z.string().min(1).max(64).optional() }),
  z.object({ type: z.literal("add_tags"), value: z.array(z.string().trim().min(1).max(50)).min(1).max(10) }),
  z.object({ type: z.literal("remove_tags"), value: z.array(z.string().trim().min(1).max(50)).min(1).max(10) }),
  z.object({ type: z.literal("add_note"), value: text }),
  /** A1: one text while the brand's business hours are open, another while closed. */
  z.object({ type: z.literal("auto_reply"), open: text, closed: text }),
  z.object({ type: z.literal("send_email"), to: z.email("Enter a valid email address."), subject: z.string().trim().min(1).max(300), body: text }),
  /** Posts the ticket to a registered webhook (signed, retried like every delivery). */
  z.object({ type: z.literal("call_webhook"), value: z.string().min(1, "Choose a webhook.").max(64) }),
]);
export const actionsSchema = z.array(actionSchema).min(1, "Add at least one action.").max(20);

export type Condition = z.infer<typeof conditionSchema>;
export type Conditions = z.infer<typeof conditionsSchema>;
export type Action = z.infer<typeof actionSchema>;
export type Trigger = (typeof TRIGGERS)[number];

export const ruleInputSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(120),
  brandId: z.string().min(1).max(64).nullable(),
  trigger: z.enum(TRIGGERS),
  conditions: conditionsSchema,
  actions: actionsSchema,
  active: z.boolean(),
});
export type RuleInput = z.infer<typeof ruleInputSchema>;
