import "server-only";
import type { Tx } from "@/lib/db";
import { translator } from "@/lib/i18n/messages";
import { isOpen, nextOpening } from "@/lib/sla/business-hours";
import type { BusinessHours } from "@/lib/sla/schedule-schema";

/**
 * A1 for the contact form: "" while the brand is open; otherwise a sentence saying
 * so and when it opens again (in the brand's time zone), for confirmations.
 */
export async function closedNote(tx: Tx, brandId: string, language: string, now = new Date()): Promise<string> {
  // One round trip (a nested select would be two).
  const rows = await tx.$queryRaw<BusinessHours[]>`SELECT bh.timezone, bh.schedule, bh.holidays FROM "Brand" b JOIN "BusinessHours" bh ON bh.id = b."businessHoursId" WHERE b.id = ${brandId}`;
  return closedNoteFor(rows[0] ?? null, language, now);
}

// Hours read as JSON text each time are parsed once per text, so their calendar is compiled once too.
const parsed = new Map<string, BusinessHours>();

/** Business hours read as JSON text (null: none), the same object for the same text. */
export function hoursFromJson(text: string | null): BusinessHours | null {
  if (text === null) return null;
  let hours = parsed.get(text);
  if (!hours) {
    if (parsed.size >= 100) parsed.clear();
    parsed.set(text, (hours = JSON.parse(text) as BusinessHours));
  }
  return hours;
}

/** The same for business hours the caller has already read (null: the brand has none). */
export function closedNoteFor(hours: BusinessHours | null, language: string, now = new Date()): string {
  if (!hours) return "";
  try {
    if (isOpen(hours, now)) return "";
    const next = nextOpening(hours, now);
    const t = translator(language, "emails");
    if (!next) return t("closedNote.unknown");
    const when = new Intl.DateTimeFormat(language, { timeZone: hours.timezone, weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZoneName: "short" }).format(next);
    return t("closedNote.next", { when });
  } catch {
    return "";
  }
}
