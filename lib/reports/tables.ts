import type { ReportData, ReportName } from "@/lib/reports/service";
import type { PerformanceRow } from "@/lib/reports/agents";
import type { SlaRow } from "@/lib/reports/sla";
import { BREAKDOWNS } from "@/lib/reports/tickets";

/**
 * Every table a report shows, as plain columns and rows: the screen renders these and the
 * CSV export writes them, so the two can never disagree. Durations are whole seconds,
 * rates fractions (0–1); the screen formats them, the CSV keeps the numbers.
 */
export type Cell = string | number | null;
export type Column = { id: string; kind: "text" | "count" | "seconds" | "rate" | "day" | "time" };
export type Table = { id: string; columns: Column[]; rows: Cell[][] };

const c = (id: string, kind: Column["kind"] = "count"): Column => ({ id, kind });

const PERF_COLUMNS = [
  c("name", "text"), c("ticketsHandled"), c("replies"),
  c("firstResponses"), c("firstResponseMedian", "seconds"), c("firstResponseP90", "seconds"), c("firstResponseBusinessMedian", "seconds"), c("firstResponseBusinessP90", "seconds"),
  c("resolved"), c("resolutionMedian", "seconds"), c("resolutionP90", "seconds"), c("resolutionBusinessMedian", "seconds"), c("resolutionBusinessP90", "seconds"),
  c("reopened"), c("reopenRate", "rate"),
];
const perfRow = (r: PerformanceRow): Cell[] => [
  r.name, r.ticketsHandled, r.replies,
  r.firstResponse.count, r.firstResponse.median, r.firstResponse.p90, r.firstResponse.businessMedian, r.firstResponse.businessP90,
  r.resolved, r.resolution.median, r.resolution.p90, r.resolution.businessMedian, r.resolution.businessP90,
  r.reopened, r.reopenRate,
];

const SLA_COLUMNS = [c("name", "text"), c("tickets"), c("met"), c("breached"), c("metRate", "rate"), c("firstResponseBreached"), c("resolutionBreached")];
const slaRow = (r: SlaRow): Cell[] => [r.label, r.tickets, r.met, r.breached, r.metRate, r.firstResponseBreached, r.resolutionBreached];

export function reportTables<N extends ReportName>(name: N, data: ReportData<N>): Table[] {
  switch (name) {
    case "tickets": {
      const d = data as ReportData<"tickets">;
      return [
        { id: "days", columns: [c("day", "day"), c("created"), c("resolved"), c("backlog")], rows: d.days.map((x) => [x.day, x.created, x.resolved, x.backlog]) },
        ...BREAKDOWNS.map((b) => ({ id: `by-${b}`, columns: [c("key", "text"), c("name", "text"), c("tickets")], rows: d.breakdowns[b].map((x) => [x.key, x.label, x.count]) })),
      ];
    }
    case "agents": {
      const d = data as ReportData<"agents">;
      return [
        { id: "agents", columns: PERF_COLUMNS, rows: d.agents.map(perfRow) },
        { id: "groups", columns: PERF_COLUMNS, rows: d.groups.map(perfRow) },
      ];
    }
    case "chats": {
      const d = data as ReportData<"chats">;
      return [
        { id: "days", columns: [c("day", "day"), c("chats"), c("missed")], rows: d.days.map((x) => [x.day, x.chats, x.missed]) },
        { id: "ratings", columns: [c("rating"), c("chats")], rows: d.ratings.map((x) => [x.rating, x.count]) },
      ];
    }
    case "sla": {
      const d = data as ReportData<"sla">;
      return [
        { id: "by-policy", columns: SLA_COLUMNS, rows: d.byPolicy.map(slaRow) },
        { id: "by-priority", columns: SLA_COLUMNS, rows: d.byPriority.map(slaRow) },
        { id: "by-agent", columns: SLA_COLUMNS, rows: d.byAgent.map(slaRow) },
        {
          id: "at-risk",
          columns: [c("number"), c("subject", "text"), c("priority", "text"), c("target", "text"), c("dueAt", "time"), c("assignee", "text")],
          rows: d.atRisk.map((x) => [x.number, x.subject, x.priority, x.target, x.dueAt.toISOString(), x.assignee]),
        },
      ];
    }
  }
  return [];
}

/** One CSV field (RFC 4180), with spreadsheet formula injection neutralised. */
export function csvField(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: Cell[]) => cells.map(csvField).join(",") + "\r\n";
