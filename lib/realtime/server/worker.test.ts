import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { client, connected, errorCode, nextConnectionError, onCleanup, sdk, subscribe, nextEvent, withTimeout } from "./test-helpers";

const ROOT = path.resolve(import.meta.dirname, "../../..");

function runWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/realtime.ts"], {
    cwd: ROOT,
    // Only what the test sets: the test runner's own PUSHER_* must not leak into the worker.
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onCleanup(() => child.kill("SIGKILL"));
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe("workers/realtime.ts", () => {
  it("exits with a message naming the bad variable", async () => {
    const w = runWorker({ PUSHER_SECRET: "long-enough-secret", PUSHER_PORT: "not-a-port" });
    expect(await withTimeout(w.exited, "worker exit", 20_000)).toBe(1);
    expect(w.err()).toMatch(/PUSHER_PORT/);
  });

  it("serves the configured app, announces itself, and closes clients with 4200 on SIGTERM", async () => {
    const port = await freePort();
    const w = runWorker({ PUSHER_APP_ID: "4242", PUSHER_KEY: "test-key", PUSHER_SECRET: "test-secret", PUSHER_PORT: String(port) });
    await withTimeout(
      new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (w.out().includes("listening")) {
            clearInterval(check);
            resolve();
          }
        }, 20);
      }),
      "listening line",
      20_000,
    );
    expect(w.out().trim().split("\n")[0]).toBe(`realtime server listening on http://127.0.0.1:${port}`);

    const c = client(port);
    await connected(c);
    const { channel } = await subscribe(c, "private-worker");
    const got = nextEvent(channel, "hello");
    await sdk(port).trigger("private-worker", "hello", { from: "worker" });
    expect((await got).data).toEqual({ from: "worker" });

    const closed = nextConnectionError(c, (e) => errorCode(e) === 4200);
    w.child.kill("SIGTERM");
    await closed;
    expect(await withTimeout(w.exited, "worker exit", 20_000)).toBe(0);
  }, 60_000);
});
