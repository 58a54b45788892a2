/**
 * A private PostgreSQL for writing migrations: `node scripts/dev-db.mjs [port]`
 * keeps running and prints the DATABASE_URL to use with `npm run db:migrate -- <name>`.
 * Data lives in .data/devpg so each working tree has its own.
 */
import path from "node:path";
import { startEmbeddedPostgres } from "./lib/embedded-pg.mjs";

const port = Number(process.argv[2] ?? 0);
const dir = path.resolve(import.meta.dirname, "..", ".data", "devpg");
const pg = await startEmbeddedPostgres({ dir, port, ownSignals: true });
await pg.createDatabase("relaydesk").catch(() => {});
console.log(`DATABASE_URL=${pg.url("relaydesk")}`);
const stop = async () => {
  await pg.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => {}, 1 << 30);
