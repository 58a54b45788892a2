import type { TaskList } from "graphile-worker";
import type { Db } from "@/lib/db";
import { deliverEmail, type DeliverPayload } from "@/lib/mail/outgoing/deliver";
import { getSetting } from "@/lib/settings/service";
import { purgeExpiredTrash } from "@/lib/tickets/state";
import { deliverWebhook } from "@/lib/webhooks/deliver";
import { runSlaCheck } from "@/lib/sla/sla-check";
import { runTimeRules } from "@/lib/automation/time-rules";
import { runRelay } from "@/lib/chat/relay";
import { sweepAbsentAgents } from "@/lib/chat/presence-sweep";
import { fillAllBusinessSeconds } from "@/lib/reports/business-fill";

/** Every durable job the worker runs. Payloads are validated by the services they call. */
export function taskList(db: Db): TaskList {
  return {
    send_email: async (payload, helpers) => {
      await deliverEmail(db, payload as DeliverPayload, { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    },
    rules_time: async (_payload, helpers) => {
      const { acted } = await runTimeRules(db);
      if (acted) helpers.logger.info(`Time rules acted on ${acted} tickets`);
    },
    chat_relay: async (payload, helpers) => {
      const { relayed } = await runRelay(db, payload);
      if (relayed) helpers.logger.info(`Emailed ${relayed} unseen chat messages`);
    },
    chat_presence: async (_payload, helpers) => {
      const { offline } = await sweepAbsentAgents(db);
      if (offline) helpers.logger.info(`${offline} agents with no open desk went Offline`);
    },
    report_business: async () => {
      await fillAllBusinessSeconds(db);
    },
    sla_check: async (payload) => {
      await runSlaCheck(db, payload);
    },
    deliver_webhook: async (payload, helpers) => {
      await deliverWebhook(db, payload, { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    },
    purge_trash: async (_payload, helpers) => {
      const days = await getSetting(db, "trash.retentionDays");
      const { purged } = await purgeExpiredTrash(db, days);
      if (purged) helpers.logger.info(`Purged ${purged} tickets that were in the trash for over ${days} days`);
    },
  };
}

/** Periodic jobs (graphile-worker crontab syntax). */
export const CRONTAB = ["15 3 * * * purge_trash ?max=1", "* * * * * rules_time ?max=1", "* * * * * chat_presence ?max=1", "* * * * * report_business ?max=1"].join("\n");
