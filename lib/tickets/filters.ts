import { z } from "zod";

// Shared by the server (validation) and the inbox (URL <-> filters): a filtered inbox
// is a URL that can be bookmarked and shared.
export const CHANNELS = ["EMAIL", "FORM", "CHAT", "AGENT"] as const;
export const STATUSES = ["OPEN", "PENDING", "RESOLVED", "CLOSED"] as const;
export const PRIORITIES = ["LOWEST", "LOW", "MEDIUM", "HIGH", "HIGHEST"] as const;
export const FOLDERS = ["all", "chats", "tickets", "spam", "trash"] as const;
export const SORTS = ["updated", "created", "priority"] as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22.").refine((d) => !Number.isNaN(Date.parse(d)), "Not a real date.");
const id = z.string().min(1).max(64);

export const ticketFilterSchema = z.object({
  folder: z.enum(FOLDERS).default("all"),
  brandId: id.optional(),
  channel: z.array(z.enum(CHANNELS)).max(4).optional(),
  status: z.array(z.enum(STATUSES)).max(4).optional(),
  priority: z.array(z.enum(PRIORITIES)).max(5).optional(),
  /** "me", "unassigned", or a user id; absent = anyone. */
  assignee: z.string().min(1).max(64).optional(),
  groupId: id.optional(),
  typeId: id.optional(),
  topicId: id.optional(),
  tags: z.array(z.string().min(1).max(50)).max(10).optional(),
  minMessages: z.number().int().min(1).max(10_000).optional(),
  createdFrom: day.optional(),
  createdTo: day.optional(),
  /** "brand": created dates are days in each ticket's brand's time zone (as reports count them), not UTC days. */
  zone: z.enum(["brand"]).optional(),
  updatedFrom: day.optional(),
  updatedTo: day.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  /** SLA of open tickets: a running target past its warning time, or past due. */
  sla: z.enum(["at_risk", "breached"]).optional(),
  sort: z.enum(SORTS).default("updated"),
});

export type TicketFilters = z.infer<typeof ticketFilterSchema>;

const LIST_KEYS = new Set(["channel", "status", "priority", "tags"]);

/** Reads filters from URL search params. Invalid values are dropped, each with a message. */
export function filtersFromParams(params: Record<string, string | string[] | undefined>): { filters: TicketFilters; errors: string[] } {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === "") continue;
    const values = (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(",")).filter(Boolean);
    if (LIST_KEYS.has(k)) raw[k] = values;
    else if (k === "minMessages") raw[k] = Number(values[0]);
    else raw[k] = values[0];
  }
  const errors: string[] = [];
  const shape = ticketFilterSchema.shape;
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const field = shape[k as keyof typeof shape];
    if (!field) continue; // unrelated params (e.g. a selected ticket) are not filters
    const r = field.safeParse(v);
    if (r.success) clean[k] = r.data;
    else errors.push(`Ignored the filter “${k}=${String(v)}”: ${r.error.issues[0]?.message ?? "invalid value"}`);
  }
  return { filters: ticketFilterSchema.parse(clean), errors };
}

export function filtersToParams(f: Partial<TicketFilters>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) continue;
    if ((k === "folder" && v === "all") || (k === "sort" && v === "updated")) continue;
    p.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  return p;
}
