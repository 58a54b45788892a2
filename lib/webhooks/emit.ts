import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";
import type { WebhookEvent } from "@/lib/webhooks/events";
import { forgetKept, kept } from "@/lib/kept-config";

type Hook = { id: string; events: string[] };
export const forgetWebhookCache = () => forgetKept("webhooks");

// Checked on every ticket change: kept until the webhooks change, so the common "no webhooks" case is free.
function activeHooks(tx: Tx): Promise<Hook[]> {
  return kept("webhooks", () => tx.webhook.findMany({ where: { active: true }, select: { id: true, events: true } }));
}

/** Queues a delivery per subscribed webhook in the caller's transaction: sent exactly when the change commits. */
export async function enqueueWebhookDelivery(tx: Tx, webhookId: string, event: WebhookEvent, data: Prisma.InputJsonValue) {
  const d = await tx.webhookDelivery.create({ data: { webhookId, event, payload: data }, select: { id: true } });
  await tx.$executeRaw`SELECT graphile_worker.add_job('deliver_webhook', ${JSON.stringify({ deliveryId: d.id })}::json, max_attempts := 8, job_key := ${`webhook:${d.id}`})`;
  return d.id;
}

/** Whether an active webhook is subscribed to any of these events (from the same kept list). */
export async function webhooksListen(tx: Tx, events: WebhookEvent[]): Promise<boolean> {
  return (await activeHooks(tx)).some((h) => events.some((e) => h.events.includes(e)));
}

export async function emitWebhookEvent(tx: Tx, event: WebhookEvent, data: () => Promise<Prisma.InputJsonValue>) {
  const hooks = (await activeHooks(tx)).filter((h) => h.events.includes(event));
  if (!hooks.length) return;
  const payload = await data();
  for (const h of hooks) await enqueueWebhookDelivery(tx, h.id, event, payload);
}

/** The ticket as webhooks see it. */
export async function ticketPayload(tx: Tx, ticketId: number) {
  const t = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: {
      id: true, number: true, subject: true, status: true, priority: true, channel: true, state: true, createdAt: true, updatedAt: true,
      brand: { select: { id: true, slug: true } },
      customer: { select: { id: true, email: true, name: true } },
      assignee: { select: { id: true, email: true, name: true } },
      group: { select: { id: true, name: true } },
      tags: { select: { tag: { select: { name: true } } } },
    },
  });
  return { ...t, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(), tags: t.tags.map((x) => x.tag.name) };
}
