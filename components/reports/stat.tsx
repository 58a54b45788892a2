import { cn } from "@/components/ui/cn";
import { Card } from "@/components/ui/misc";

/** A headline figure with the previous period's value and the change between them. */
export function Stat({ label, value, previous, change, betterWhenLower = false, previousLabel, testId }: { label: string; value: string; previous: string; change: number | null; betterWhenLower?: boolean; previousLabel: string; testId?: string }) {
  const good = change === null || change === 0 ? null : betterWhenLower ? change < 0 : change > 0;
  return (
    <Card className="p-4">
      <div className="text-xs text-gray-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>{value}</div>
      <div className="mt-1 text-xs text-gray-500">
        {previousLabel}: <span className="tabular-nums">{previous}</span>
        {change !== null && (
          <span className={cn("ml-1 font-medium", good === null ? "text-gray-500" : good ? "text-green-700" : "text-red-700")}>
            {change > 0 ? "▲" : change < 0 ? "▼" : ""} {Math.abs(Math.round(change * 100))}%
          </span>
        )}
      </div>
    </Card>
  );
}
