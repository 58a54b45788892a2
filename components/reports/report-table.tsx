import Link from "next/link";
import { Download } from "lucide-react";
import type { Table } from "@/lib/reports/tables";
import { formatCell, type Units } from "@/components/reports/format";
import { EmptyState } from "@/components/ui/misc";

/**
 * A report table with its caption and CSV link. Headers come from messages
 * (reports.columns.*); the CSV link downloads exactly these rows from the same query.
 */
export function ReportTable({
  table,
  caption,
  headers,
  csvHref,
  csvLabel,
  emptyLabel,
  units,
  locale,
  rowHrefs,
  hidden = [],
}: {
  table: Table;
  caption: string;
  headers: Record<string, string>;
  csvHref: string;
  csvLabel: string;
  emptyLabel: string;
  units: Units;
  locale: string;
  rowHrefs?: (string | null)[];
  hidden?: string[];
}) {
  const cols = table.columns.map((c, i) => ({ ...c, i })).filter((c) => !hidden.includes(c.id));
  return (
    <div className="overflow-x-auto" data-testid={`table-${table.id}`}>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-sm font-medium text-gray-900" id={`caption-${table.id}`}>{caption}</h3>
        <a href={csvHref} download className="inline-flex items-center gap-1 rounded px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50" data-testid={`csv-${table.id}`}>
          <Download className="h-3.5 w-3.5" aria-hidden />
          {csvLabel}
        </a>
      </div>
      {table.rows.length === 0 ? (
        <EmptyState title={emptyLabel} />
      ) : (
        <table className="min-w-full text-sm" aria-labelledby={`caption-${table.id}`}>
          <thead>
            <tr className="border-b border-gray-200 text-left text-xs text-gray-500">
              {cols.map((c) => (
                <th key={c.id} scope="col" className={c.kind === "text" || c.kind === "day" ? "py-1.5 pr-3 font-medium" : "py-1.5 pr-3 text-right font-medium"}>
                  {headers[c.id] ?? c.id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {table.rows.map((row, r) => (
              <tr key={r} data-testid="report-row">
                {cols.map((c, k) => {
                  const text = formatCell(row[c.i] ?? null, c.kind, { units, locale });
                  const href = k === 0 ? rowHrefs?.[r] : null;
                  return (
                    <td key={c.id} data-col={c.id} data-value={row[c.i] ?? ""} className={c.kind === "text" || c.kind === "day" ? "py-1.5 pr-3" : "py-1.5 pr-3 text-right tabular-nums"}>
                      {href ? <Link href={href} className="text-indigo-700 hover:underline">{text}</Link> : text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
