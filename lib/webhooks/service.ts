import "server-only";
import type { Db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { encryptSecret, randomToken } from "@/lib/crypto";
import { enqueueWebhookDelivery, forgetWebhookCache } from "@/lib/webhooks/emit";

export type WebhookInput = { url: string; events: string[]; active?: boolean };

const newSecret = () => `whsec_${randomToken(24)}`;

export async function listWebhooks(db: Db) {
  const hooks = await db.webhook.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, url: true, events: true, active: true, createdAt: true, deliveries: { orderBy: { id: "desc" }, take: 1, select: { status: true, responseCode: true, createdAt: true } } },
  });
  return hooks.map(({ deliveries, ...h }) => ({ ...h, lastDelivery: deliveries[0] ?? null }));
}

/** Returns the signing secret once; it is stored encrypted and never shown again. */
export async function createWebhook(db: Db, input: WebhookInput) {
  const secret = newSecret();
  const hook = await db.webhook.create({ data: { url: input.url, events: input.events, active: input.active ?? true, secretEnc: encryptSecret(secret) }, select: { id: true } });
  forgetWebhookCache();
  return { id: hook.id, secret };
}

async function existing(db: Db, id: string) {
  const hook = await db.webhook.findUnique({ where: { id }, select: { id: true } });
  if (!hook) throw notFound("This webhook");
  return hook;
}

export async function updateWebhook(db: Db, input: { id: string } & Partial<WebhookInput>) {
  await existing(db, input.id);
  await db.webhook.update({ where: { id: input.id }, data: { url: input.url, events: input.events, active: input.active } });
  forgetWebhookCache();
}

export async function rotateWebhookSecret(db: Db, input: { id: string }) {
  await existing(db, input.id);
  const secret = newSecret();
  await db.webhook.update({ where: { id: input.id }, data: { secretEnc: encryptSecret(secret) } });
  return { secret };
}

export async function deleteWebhook(db: Db, input: { id: string }) {
  await existing(db, input.id);
  await db.webhook.delete({ where: { id: input.id } });
  forgetWebhookCache();
}

export async function listDeliveries(db: Db, input: { id: string }) {
  await existing(db, input.id);
  return db.webhookDelivery.findMany({
    where: { webhookId: input.id },
    orderBy: { id: "desc" },
    take: 50,
    select: { id: true, event: true, status: true, responseCode: true, error: true, attempts: true, createdAt: true, updatedAt: true, payload: true },
  });
}

/** "Send test": a `ping` delivery through the same queue, signing and retries as real events. */
export async function sendTestWebhook(db: Db, input: { id: string }) {
  await existing(db, input.id);
  const deliveryId = await db.$transaction((tx) => enqueueWebhookDelivery(tx, input.id, "ping", { message: "Test delivery from Relaydesk", at: new Date().toISOString() }));
  return { deliveryId };
}
