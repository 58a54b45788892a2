import { db } from "@/lib/db";
import { userFromHeaders } from "@/lib/auth/request-user";
import { authorizeAgentChannel, authorizeChatChannel } from "@/lib/realtime/authorize";

export const dynamic = "force-dynamic";

/** pusher-js channel authorisation (form-encoded socket_id and channel_name). */
export async function POST(req: Request) {
  const form = new URLSearchParams(await req.text());
  const socketId = form.get("socket_id") ?? "";
  const channel = form.get("channel_name") ?? "";
  if (!socketId || !channel || channel.length > 200) return Response.json({ error: "socket_id and channel_name are required." }, { status: 400 });
  const visitorToken = form.get("visitor_token");
  // The widget has no desk session: its signed visitor token is what opens its own chat's channel.
  const result = channel.startsWith("private-chat-")
    ? await authorizeChatChannel(db, visitorToken ? null : await userFromHeaders(req.headers), visitorToken, socketId, channel)
    : await authorizeAgentChannel(db, await userFromHeaders(req.headers), socketId, channel);
  return result.ok ? Response.json(result.body) : Response.json({ error: result.message }, { status: result.status });
}
