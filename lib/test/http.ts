/**
 * Drives the real tRPC HTTP endpoint (the same handler Next mounts at /api/trpc)
 * over a real socket, with real next-auth session cookies.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { handleTrpc } from "@/lib/trpc/handler";

export async function startTrpcServer() {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : body });
    const response = await handleTrpc(request);
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The cookie next-auth sets after sign-in, for this user. */
export async function sessionCookie(user: { id: string; sessionVersion: number }) {
  const token = await encode({ token: { sub: user.id, sv: user.sessionVersion }, secret: process.env.NEXTAUTH_SECRET! });
  return `next-auth.session-token=${token}`;
}

type TrpcResult = { status: number; body: { result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string; fieldErrors: Record<string, string> | null } } } } };

/** Calls a procedure as the browser's tRPC client would (superjson, GET for queries, POST for mutations). */
export async function callTrpc(baseUrl: string, path: string, type: "query" | "mutation", input: unknown, cookie?: string): Promise<TrpcResult> {
  const payload = JSON.stringify({ json: input ?? null });
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const res =
    type === "query"
      ? await fetch(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers })
      : await fetch(`${baseUrl}/api/trpc/${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: payload });
  return { status: res.status, body: await res.json() };
}
