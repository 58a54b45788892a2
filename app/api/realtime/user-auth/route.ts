import { userFromHeaders } from "@/lib/auth/request-user";
import { authenticateDeskUser } from "@/lib/realtime/authorize";

export const dynamic = "force-dynamic";

/** pusher-js user authentication (signin) for the desk: form-encoded socket_id. */
export async function POST(req: Request) {
  const socketId = new URLSearchParams(await req.text()).get("socket_id") ?? "";
  if (!/^\d+\.\d+$/.test(socketId)) return Response.json({ error: "socket_id is required." }, { status: 400 });
  const result = authenticateDeskUser(await userFromHeaders(req.headers), socketId);
  return result.ok ? Response.json(result.body) : Response.json({ error: result.message }, { status: result.status });
}
