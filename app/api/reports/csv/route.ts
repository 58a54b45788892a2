import { db } from "@/lib/db";
import { userFromHeaders } from "@/lib/auth/request-user";
import { hasPermission } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/errors";
import { reportFiltersFromParams } from "@/lib/reports/filters";
import { reportCsv } from "@/lib/reports/export";

export const dynamic = "force-dynamic";

/** CSV of one report table (R6), permission-checked and streamed. */
export async function GET(req: Request) {
  const user = await userFromHeaders(req.headers);
  if (!user) return new Response("Sign in to continue.", { status: 401 });
  if (!hasPermission(user.permissions, "reports.view")) return new Response("This needs the “reports.view” permission.", { status: 403 });
  const url = new URL(req.url);
  const params = Object.fromEntries(url.searchParams.entries());
  const { filters, errors } = reportFiltersFromParams(params);
  if (errors.length) return new Response(errors.join(" "), { status: 400 });
  const report = params.report ?? "";
  const table = params.table ?? "";
  const chunks = reportCsv(db, { report, table, filters, brandIds: user.brandIds });
  // The first chunk is produced before answering, so a bad report or table is a clear 4xx, not a broken download.
  let first: IteratorResult<string>;
  try {
    first = await chunks.next();
  } catch (e) {
    if (e instanceof DomainError) return new Response(e.message, { status: e.code === "NOT_FOUND" ? 404 : 400 });
    throw e;
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A BOM so spreadsheet apps read the names as UTF-8.
      controller.enqueue(encoder.encode("\uFEFF"));
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const name = `relaydesk-${report}-${table}.csv`.replace(/[^\w.-]/g, "_");
  return new Response(stream, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}
