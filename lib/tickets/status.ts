import "server-only";
import type { Tx } from "@/lib/db";
import type { TicketStatus } from "@/lib/generated/prisma/client";
import { badRequest } from "@/lib/errors";
import { getSetting } from "@/lib/settings/service";

/**
 * The status rules (T5): Closed is final; resolving may require a topic.
 * Returns the extra ticket fields a transition sets.
 */
export async function checkStatusChange(tx: Tx, t: { status: TicketStatus; topicId: string | null }, to: TicketStatus, topicAfter: string | null) {
  if (t.status === to) return {};
  if (t.status === "CLOSED") throw badRequest("Closed tickets are final. A new message from the customer opens a new ticket.", "status");
  if ((to === "RESOLVED" || to === "CLOSED") && !topicAfter && (await getSetting(tx, "tickets.requireTopicToResolve"))) {
    throw badRequest("Choose a topic before resolving this ticket.", "topicId");
  }
  const now = new Date();
  if (to === "RESOLVED") return { resolvedAt: now };
  if (to === "CLOSED") return { closedAt: now, resolvedAt: now };
  return {};
}

export const isDone = (s: TicketStatus) => s === "RESOLVED" || s === "CLOSED";
