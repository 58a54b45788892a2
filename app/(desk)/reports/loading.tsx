import { Skeleton } from "@/components/ui/misc";

export default function ReportsLoading() {
  return (
    <div className="space-y-4" data-testid="report-loading">
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => <div key={i} className="h-24 animate-pulse rounded-lg bg-gray-100" />)}
      </div>
      <Skeleton rows={8} />
    </div>
  );
}
