/** Ticket number tokens in subjects: "[#1234]" (whitespace inside the brackets tolerated). */
const TOKEN = /\[\s*#\s*(\d{1,15})\s*\]/;

/** The ticket number from the first "[#1234]" token in a subject, or null. */
export function findTicketToken(subject: string | null | undefined): number | null {
  if (!subject) return null;
  const m = TOKEN.exec(subject);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
