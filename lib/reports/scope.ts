import "server-only";
import type { Db } from "@/lib/db";
import { BusinessCalendar } from "@/lib/sla/business-hours";
import type { ReportFilters } from "@/lib/reports/filters";
import { previousRange, resolveRange, type DayRange } from "@/lib/reports/range";

/** What a report is computed over: the brands the viewer may see (narrowed by the filter), their days and hours. */
export type ReportScope = {
  brandIds: string[];
  groupId: string | null;
  range: DayRange;
  previous: DayRange;
  /** The time zone presets are resolved in: the selected brand's, else UTC. Days are always bucketed per brand. */
  timeZone: string;
  calendars: Map<string, BusinessCalendar | null>;
  /** Each brand's time zone: its days are counted in it. */
  timeZones: Map<string, string>;
  now: Date;
};

export async function resolveScope(db: Db, input: { filters: ReportFilters; brandIds: string[]; now?: Date }): Promise<ReportScope> {
  const { filters } = input;
  // "all" is the filter bar's explicit "every brand of mine"; any other brand outside them yields nothing.
  const one = filters.brandId && filters.brandId !== "all" ? filters.brandId : null;
  const brandIds = one ? input.brandIds.filter((b) => b === one) : input.brandIds;
  const brands = await db.brand.findMany({
    where: { id: { in: brandIds } },
    select: { id: true, timezone: true, businessHours: { select: { timezone: true, schedule: true, holidays: true } } },
  });
  const calendars = new Map<string, BusinessCalendar | null>();
  for (const b of brands) {
    let cal: BusinessCalendar | null = null;
    if (b.businessHours) {
      try {
        cal = new BusinessCalendar(b.businessHours as ConstructorParameters<typeof BusinessCalendar>[0]);
      } catch {
        cal = null; // invalid hours: business-time figures are left out for this brand rather than guessed
      }
    }
    calendars.set(b.id, cal);
  }
  const timeZone = one && brands[0] ? brands[0].timezone : "UTC";
  const now = input.now ?? new Date();
  const range = resolveRange(filters, timeZone, now);
  const timeZones = new Map(brands.map((b) => [b.id, b.timezone]));
  return { brandIds: brands.map((b) => b.id), groupId: filters.groupId ?? null, range, previous: previousRange(range), timeZone, calendars, timeZones, now };
}
