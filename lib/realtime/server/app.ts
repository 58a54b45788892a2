/** Everything one Pusher app owns at runtime: its channels, sockets and webhook queue. */
import { ChannelRegistry } from "./channels";
import type { Connection } from "./connection";
import { channelKind } from "./protocol";
import type { AppConfig, Logger } from "./types";
import { WebhookDispatcher, type WebhookEvent } from "./webhooks";

export interface AppRuntime {
  config: AppConfig;
  channels: ChannelRegistry;
  /** By socket id: REST `socket_id` exclusion looks sockets up here. */
  connections: Map<string, Connection>;
  webhooks: WebhookDispatcher | undefined;
}

export function createAppRuntime(
  config: AppConfig,
  webhook: { batchMs: number; maxAttempts: number; retryBaseMs: number; maxInFlight: number; maxQueuedBatches: number },
  logger: Logger,
): AppRuntime {
  const webhooks = config.webhookUrl
    ? new WebhookDispatcher({ url: config.webhookUrl, key: config.key, secret: config.secret, logger, ...webhook })
    : undefined;
  // Server-to-user channels are an implementation detail of sign-in; Pusher does not report them.
  const emit = (event: WebhookEvent) => {
    if (webhooks && channelKind(event.channel) !== "user") webhooks.enqueue(event);
  };
  const channels = new ChannelRegistry({
    occupied: (channel) => emit({ name: "channel_occupied", channel }),
    vacated: (channel) => emit({ name: "channel_vacated", channel }),
    memberAdded: (channel, user_id) => emit({ name: "member_added", channel, user_id }),
    memberRemoved: (channel, user_id) => emit({ name: "member_removed", channel, user_id }),
  });
  return { config, channels, connections: new Map(), webhooks };
}
