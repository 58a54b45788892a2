/** What the inbox row and the ticket header show about a ticket's SLA (pure; client-safe). */
export type SlaSummary = { state: "ok" | "at_risk" | "breached" | "paused"; dueAt: string | null; target: "first_response" | "resolution" } | null;

type SlaFields = {
  status: string;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  firstResponseWarnAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionWarnAt: Date | null;
  slaPausedAt: Date | null;
  slaPolicyId: string | null;
};

/**
 * The running target that matters most: first response until it is given, then
 * resolution. Resolved and closed tickets show nothing (reports show met/breached).
 */
export function slaSummary(t: SlaFields, now = new Date()): SlaSummary {
  if (!t.slaPolicyId || t.status === "RESOLVED" || t.status === "CLOSED") return null;
  const fr = !t.firstResponseAt;
  const target = fr && (t.firstResponseDueAt || t.slaPausedAt) ? "first_response" : "resolution";
  const due = target === "first_response" ? t.firstResponseDueAt : t.resolutionDueAt;
  const warn = target === "first_response" ? t.firstResponseWarnAt : t.resolutionWarnAt;
  if (t.slaPausedAt && !due) return { state: "paused", dueAt: null, target };
  if (!due) return null;
  const n = now.getTime();
  const state = n > due.getTime() ? "breached" : warn && n >= warn.getTime() ? "at_risk" : "ok";
  return { state, dueAt: due.toISOString(), target };
}

export const SLA_SELECT = { status: true, firstResponseAt: true, firstResponseDueAt: true, firstResponseWarnAt: true, resolutionDueAt: true, resolutionWarnAt: true, slaPausedAt: true, slaPolicyId: true } as const;
