import { redirect } from "next/navigation";

export default async function ReportsIndex({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]))));
  redirect(`/reports/tickets${params.size ? `?${params}` : ""}`);
}
