import type { TaskList } from "graphile-worker";
import type { Db } from "@/lib/db";
import { deliverEmail, type DeliverPayload } from "@/lib/mail/outgoing/deliver";

/** Every durable job the worker runs. Payloads are validated by the services they call. */
export function taskList(db: Db): TaskList {
  return {
    send_email: async (payload, helpers) => {
      await deliverEmail(db, payload as DeliverPayload, { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    },
  };
}
