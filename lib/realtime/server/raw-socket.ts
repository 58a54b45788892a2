/**
 * A bare WebSocket for the tests pusher-js cannot express: malformed or
 * oversize frames, and a client that stops answering pings.
 */
import WebSocket from "ws";
import { APP, onCleanup, withTimeout } from "./test-helpers";

export interface Frame {
  event: string;
  channel?: string;
  data?: unknown;
}

export interface RawSocket {
  ws: WebSocket;
  frames: Frame[];
  /** Resolves with the first frame (already received or future) that matches. */
  next(match: (f: Frame) => boolean, what: string): Promise<Frame>;
  closed: Promise<{ code: number; reason: string }>;
  send(data: string | Buffer): void;
}

export async function rawSocket(port: number, opts: { key?: string; autoPong?: boolean } = {}): Promise<RawSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${opts.key ?? APP.key}?protocol=7&client=js&version=8.6.0`);
  onCleanup(() => ws.terminate());
  const frames: Frame[] = [];
  const waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on("error", () => undefined);
  ws.on("message", (raw) => {
    const f = JSON.parse(raw.toString()) as Frame;
    if (typeof f.data === "string") {
      try {
        f.data = JSON.parse(f.data);
      } catch {
        // Relayed event data may be a plain string.
      }
    }
    frames.push(f);
    if (f.event === "pusher:ping" && opts.autoPong !== false) ws.send(JSON.stringify({ event: "pusher:pong", data: {} }));
    for (const w of waiters.splice(0)) {
      if (w.match(f)) w.resolve(f);
      else waiters.push(w);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const next = (match: (f: Frame) => boolean, what: string) => {
    const seen = frames.find(match);
    if (seen) return Promise.resolve(seen);
    return withTimeout(new Promise<Frame>((resolve) => waiters.push({ match, resolve })), what);
  };
  await withTimeout(new Promise((resolve) => ws.once("open", resolve)), "raw socket open");
  return { ws, frames, next, closed, send: (data) => ws.send(data) };
}
