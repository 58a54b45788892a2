/** Percentile by linear interpolation between closest ranks (PostgreSQL's percentile_cont); null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (values: number[]) => percentile(values, 0.5);

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Relative change from `before` to `now`; null when there is nothing to compare with. */
export function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / before;
}
