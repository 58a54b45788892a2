import type { Options } from "pusher-js";
import type { RealtimeClientConfig } from "@/lib/realtime/authorize";

/**
 * pusher-js options for the desk and the chat widget: our own (or a Pusher-compatible)
 * server, WebSocket only, no stats beacon, channels authorised by /api/realtime/auth
 * (the widget adds its visitor token as a parameter). Client-safe: types only.
 */
export function pusherOptions(config: RealtimeClientConfig, authParams?: Record<string, string>): Options {
  return {
    cluster: config.cluster,
    wsHost: config.wsHost,
    wsPort: config.wsPort,
    wssPort: config.wsPort,
    forceTLS: config.forceTLS,
    enabledTransports: ["ws", "wss"],
    disableStats: true,
    channelAuthorization: { endpoint: "/api/realtime/auth", transport: "ajax", ...(authParams ? { params: authParams } : {}) },
    // The desk signs its connection in as the agent (pusher.signin()); the widget never does.
    userAuthentication: { endpoint: "/api/realtime/user-auth", transport: "ajax" },
  };
}
