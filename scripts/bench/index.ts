/**
 * npm run bench <name> — benchmarks that print figures (never assertions).
 *   inbox     inbox list/filter/search/open/bulk on the bench:seed data set
 *   pages     server time of desk pages on a running instance (npm run bench pages [url])
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
    case "pages":
      await (await import("./pages")).benchPages();
      break;
    default:
      console.error("usage: npm run bench <inbox|pages|reports>");
      process.exit(2);
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
