/**
 * npm run bench <name> — benchmarks that print figures (never assertions).
 *   inbox     inbox list/filter/search/open/bulk on the bench:seed data set
 *   pages     server time of desk pages on a running instance (npm run bench pages [url])
 *   mail      IMAP ingest against Dovecot: 5,000-message backlog, APPEND→ticket latency, memory with 20 idle mailboxes
 *   rules     ticket creation with no rules vs 50 active rules (added latency per ticket)
 *   form      contact-form submissions per second through HTTP (own production build and database, or npm run bench form [url])
 *   realtime  the built-in Pusher-protocol server under load (--clients 1000 --channels 100 --rate 500 --seconds 30)
 *   chat      200 customers and 20 agents (separate processes, HTTP + pusher-js) for 60 s: message and assignment latency, losses
 *   reports   every dashboard's queries for 90 days, and the full-year ticket CSV in rows/s
 */
import { benchDatabase } from "./db";

const which = process.argv[2];
const requests = Number(process.env.BENCH_REQUESTS ?? 200);

async function main() {
  switch (which) {
    case "inbox": {
      const database = await benchDatabase();
      await (await import("./inbox")).benchInbox(database.url, { requests });
      await database.stop();
      break;
    }
    case "reports": {
      const database = await benchDatabase();
      await (await import("./reports")).benchReports({ requests: Number(process.env.BENCH_REQUESTS ?? 30) });
      await database.stop();
      break;
    }
    case "chat":
      await (await import("./chat")).benchChat();
      break;
    case "pages":
      await (await import("./pages")).benchPages();
      break;
    case "mail":
      await (await import("./mail")).benchMail();
      break;
    case "rules":
      await (await import("./rules")).benchRules();
      break;
    case "form":
      await (await import("./form")).benchForm();
      break;
    case "realtime": {
      const { benchRealtime, arg } = await import("@/lib/realtime/server/bench");
      const opts = { clients: arg("clients", 1000), channels: arg("channels", 100), eventsPerSecond: arg("rate", 500), seconds: arg("seconds", 30) };
      console.log(`Realtime benchmark: ${opts.clients} pusher-js clients in another process, ${opts.channels} channels, ${opts.eventsPerSecond} events/s through the pusher SDK for ${opts.seconds} s`);
      const result = await benchRealtime(opts);
      for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(28)} ${v}`);
      break;
    }
    default:
      console.error("usage: npm run bench <inbox|pages|reports|mail|rules|form|realtime|chat>");
      process.exit(2);
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
