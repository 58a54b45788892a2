import { db } from "@/lib/db";
import { health } from "@/lib/health/service";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await health(db);
  return Response.json(report, { status: report.ok ? 200 : 503 });
}
