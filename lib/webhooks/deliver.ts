import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { decryptSecret } from "@/lib/crypto";
import { signWebhook } from "@/lib/webhooks/signature";

const payloadSchema = z.object({ deliveryId: z.number().int().positive() });
const TIMEOUT_MS = 10_000;

/** A receiver error worth retrying (server errors, timeouts, rate limits); other 4xx mean "never". */
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * Sends one queued delivery. A retryable failure throws so graphile-worker retries it
 * with exponential backoff; after the last attempt, or on a permanent refusal, the
 * delivery is marked FAILED with the reason, visible in the delivery log.
 */
export async function deliverWebhook(db: Db, raw: unknown, job: { attempt: number; maxAttempts: number }, fetchImpl: typeof fetch = fetch) {
  const { deliveryId } = payloadSchema.parse(raw);
  const d = await db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, event: true, payload: true, status: true, createdAt: true, webhook: { select: { url: true, secretEnc: true, active: true } } },
  });
  if (!d || d.status !== "PENDING") return;
  if (!d.webhook.active) {
    await db.webhookDelivery.update({ where: { id: d.id }, data: { status: "FAILED", error: "Webhook disabled before delivery", attempts: job.attempt } });
    return;
  }
  const body = JSON.stringify({ id: d.id, event: d.event, createdAt: d.createdAt.toISOString(), data: d.payload });
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetchImpl(d.webhook.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "Relaydesk-Webhooks/1",
        "relaydesk-event": d.event,
        "relaydesk-delivery": String(d.id),
        "relaydesk-signature": signWebhook(decryptSecret(d.webhook.secretEnc), body),
      },
      body,
    });
    status = res.status;
    await res.body?.cancel();
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (e) {
    error = e instanceof Error ? (e.name === "TimeoutError" ? `No answer within ${TIMEOUT_MS / 1000} s` : e.message) : String(e);
  }
  const final = !error || (status !== null && !retryable(status)) || job.attempt >= job.maxAttempts;
  await db.webhookDelivery.update({
    where: { id: d.id },
    data: { attempts: job.attempt, responseCode: status, error, ...(final ? { status: error ? "FAILED" : "SUCCEEDED" } : {}) },
  });
  if (!final) throw new Error(`Webhook delivery ${d.id} to ${d.webhook.url} failed (${error}); will retry`);
}
