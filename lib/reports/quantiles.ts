/**
 * Exact percentiles of large sets of durations in TypeScript, computed the way PostgreSQL's
 * percentile_cont and lib/reports/stats.ts percentile compute them (linear interpolation between
 * the two closest ranks), without sorting the values: the values at the needed ranks are found by
 * radix selection over the bits of the doubles, which for non-negative doubles sort like the numbers
 * they hold. A set is the union of several arrays (agent × group cells), which are read, never
 * modified: the same arrays serve the agent, the group and the total.
 */

/** The bytes of a double in memory are little-endian on every host Node runs on in practice; big-endian hosts are handled too. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/**
 * `n` doubles sent as PostgreSQL float8send bytes (8 bytes each, big-endian), concatenated and
 * base64-encoded (its line breaks are skipped): the exact values, bit for bit.
 */
export function decodeFloat8(base64: string | null, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) return out;
  const bytes = Buffer.from(out.buffer, out.byteOffset, n * 8);
  const written = base64 === null ? 0 : bytes.write(base64, "base64");
  if (written !== n * 8) throw new Error(`float8 values: expected ${n * 8} bytes, got ${written}`);
  if (LITTLE_ENDIAN) bytes.swap64();
  return out;
}

/** A bucket of up to this many values is sorted; a larger one is split further by the next 16 bits. */
const SORT_UP_TO = 1024;
/** Scratch space of the (synchronous) selection, all zero or −1 between uses: values per 16-bit digit, and which wanted bucket a digit is. */
const counts = new Uint32Array(1 << 16);
const slotOf = new Int32Array(1 << 16).fill(-1);

/**
 * The values at the given ranks (0-based, ascending, distinct) among the `n` values of `parts` whose
 * upper 16·`level` bits are `prefix` (16 bits each; level 1–3), into `out` keyed by rank + `offset`:
 * counts those values per their next 16 bits, then looks only at the buckets that hold a wanted rank.
 * A bucket whose values are all equal is done, a small one is sorted, a larger one is split by the
 * next 16 bits — copied first when it is a small part of what was read, else by reading `parts` again
 * (the many equal values of a few popular durations never get copied). At level 3 the last 16 bits
 * leave only equal values in a bucket.
 */
function select(views: readonly Uint32Array[], parts: readonly Float64Array[], n: number, ranks: readonly number[], level: number, prefix: number[], out: Map<number, number>, offset: number) {
  const word = level < 2 ? HI : LO;
  const shift = level % 2 === 0 ? 16 : 0;
  // Only values under the prefix count: their words compared as far as the prefix reaches.
  const hiMask = level === 1 ? 0xffff0000 : 0xffffffff;
  const hiWant = level === 1 ? (prefix[0]! << 16) >>> 0 : ((prefix[0]! << 16) | prefix[1]!) >>> 0;
  const loMask = level === 3 ? 0xffff0000 : 0;
  const loWant = level === 3 ? (prefix[2]! << 16) >>> 0 : 0;
  const under = (v: Uint32Array, i: number) => (v[i + HI]! & hiMask) >>> 0 === hiWant && (v[i + LO]! & loMask) >>> 0 === loWant;
  // Counted per digit; the digits met are noted, so that only they are visited and reset after.
  const met: number[] = [];
  for (const v of views) {
    for (let i = 0, len = v.length; i < len; i += 2) {
      if (!under(v, i)) continue;
      const d = (v[i + word]! >>> shift) & 0xffff;
      if (counts[d]!++ === 0) met.push(d);
    }
  }
  met.sort((a, b) => a - b);
  const sizeOf = met.map((d) => counts[d]!);
  for (const d of met) counts[d] = 0;
  // The bucket of each wanted rank, and how many values lie in the buckets before it.
  const digits: number[] = [];
  const belows: number[] = [];
  const inBucket: number[][] = [];
  const small: (Float64Array | null)[] = [];
  const sizes: number[] = [];
  let below = 0;
  let r = 0;
  for (let k = 0; k < met.length && r < ranks.length; k++) {
    const d = met[k]!;
    const c = sizeOf[k]!;
    if (ranks[r]! < below + c) {
      const mine: number[] = [];
      while (r < ranks.length && ranks[r]! < below + c) mine.push(ranks[r++]! - below);
      slotOf[d] = digits.length;
      digits.push(d);
      belows.push(below);
      inBucket.push(mine);
      sizes.push(c);
      small.push(c <= SORT_UP_TO || c <= n >> 4 ? new Float64Array(c) : null);
    }
    below += c;
  }
  // One more pass: each wanted bucket's smallest and largest value, and the values of the copied ones.
  const filled = new Int32Array(digits.length);
  const min = new Float64Array(digits.length).fill(Infinity);
  const max = new Float64Array(digits.length).fill(-Infinity);
  for (let k = 0; k < views.length; k++) {
    const v = views[k]!;
    const p = parts[k]!;
    for (let i = 0, len = v.length; i < len; i += 2) {
      const s = slotOf[(v[i + word]! >>> shift) & 0xffff]!;
      if (s < 0 || !under(v, i)) continue;
      const x = p[i >> 1]!;
      if (x < min[s]!) min[s] = x;
      if (x > max[s]!) max[s] = x;
      const into = small[s];
      if (into) into[filled[s]!++] = x;
    }
  }
  for (const d of digits) slotOf[d] = -1;
  for (let s = 0; s < digits.length; s++) {
    const values = small[s];
    if (min[s] === max[s]) for (const x of inBucket[s]!) out.set(offset + belows[s]! + x, min[s]!);
    else if (values && values.length <= SORT_UP_TO) {
      values.sort();
      for (const x of inBucket[s]!) out.set(offset + belows[s]! + x, values[x]!);
    } else if (values) select([new Uint32Array(values.buffer)], [values], values.length, inBucket[s]!, level + 1, [...prefix, digits[s]!], out, offset + belows[s]!);
    else select(views, parts, sizes[s]!, inBucket[s]!, level + 1, [...prefix, digits[s]!], out, offset + belows[s]!);
  }
}

type Wanted = { pos: number; lo: number; hi: number };

/** The ranks percentile_cont reads for each fraction out of n values, and those ranks in order. */
function ranksOf(n: number, fractions: readonly number[]) {
  const wanted: Wanted[] = fractions.map((p) => {
    const pos = p * (n - 1);
    return { pos, lo: Math.floor(pos), hi: Math.ceil(pos) };
  });
  return { wanted, ranks: [...new Set(wanted.flatMap((w) => [w.lo, w.hi]))].sort((x, y) => x - y) };
}

/** low + (high − low) · fraction, the low value itself when the two ranks coincide: as PostgreSQL interpolates. */
const interpolate = (wanted: Wanted[], at: Map<number, number>) =>
  wanted.map(({ pos, lo, hi }) => {
    const low = at.get(lo)!;
    return hi === lo ? low : low + (at.get(hi)! - low) * (pos - lo);
  });

/** Negative, infinite or NaN values (never durations): sorted, as percentile_cont sorts them. */
function bySorting(parts: readonly Float64Array[], fractions: readonly number[]) {
  let n = 0;
  for (const p of parts) n += p.length;
  if (n === 0) return fractions.map(() => null);
  const all = new Float64Array(n);
  let i = 0;
  for (const p of parts) {
    all.set(p, i);
    i += p.length;
  }
  all.sort();
  const { wanted, ranks } = ranksOf(n, fractions);
  return interpolate(wanted, new Map(ranks.map((r) => [r, all[r]!])));
}

/**
 * percentile_cont of each fraction over each set, a set being the union of some of the `cells`
 * (given by index; the agent's cells, the group's, all of them): the values at ranks floor(p·(n−1))
 * and ceil(p·(n−1)), interpolated exactly as PostgreSQL does; null for a set without values. Every
 * set is served by the same two passes over the cells: one counts each cell's values per digit of
 * their upper 16 bits, from which each set's counts are summed (a cell has a few hundred digits at
 * most: durations span few binary orders of magnitude); one picks, for every set a value belongs to,
 * the values of the buckets holding a wanted rank. A bucket whose values are all equal is then done,
 * a small one sorted, a larger one split by the next 16 bits (select).
 */
export function percentilesOfSets(cells: readonly Float64Array[], sets: readonly (readonly number[])[], fractions: readonly number[]): (number | null)[][] {
  const views = cells.map((p) => new Uint32Array(p.buffer, p.byteOffset, p.length * 2));
  // Each cell's counts per upper digit, as sorted digits and their counts.
  let top = 0;
  const histograms = views.map((v) => {
    const met: number[] = [];
    for (let i = HI, len = v.length; i < len; i += 2) {
      const w = v[i]!;
      if (w > top) top = w;
      if (counts[w >>> 16]!++ === 0) met.push(w >>> 16);
    }
    met.sort((a, b) => a - b);
    const sizes = met.map((d) => counts[d]!);
    for (const d of met) counts[d] = 0;
    return { digits: met, sizes };
  });
  if (top >= 0x7ff00000) return sets.map((set) => bySorting(set.map((c) => cells[c]!), fractions)); // sign bit, or all exponent bits
  // Each set's buckets that hold a wanted rank.
  type Bucket = { set: number; digit: number; below: number; ranks: number[]; size: number; min: number; max: number; values: Float64Array | null; filled: number };
  const plans = sets.map((set, k) => {
    let n = 0;
    for (const c of set) n += cells[c]!.length;
    const { wanted, ranks } = ranksOf(n, fractions);
    const met: number[] = [];
    for (const c of set) {
      const h = histograms[c]!;
      h.digits.forEach((d, i) => {
        if (counts[d] === 0) met.push(d);
        counts[d]! += h.sizes[i]!;
      });
    }
    met.sort((a, b) => a - b);
    const buckets: Bucket[] = [];
    let below = 0;
    let r = 0;
    for (const d of met) {
      const size = counts[d]!;
      counts[d] = 0;
      if (r < ranks.length && ranks[r]! < below + size) {
        const mine: number[] = [];
        while (r < ranks.length && ranks[r]! < below + size) mine.push(ranks[r++]! - below);
        // Copied when sorting it is cheap or it is a small part of the set; a large one is read again from the cells if need be.
        const values = size <= SORT_UP_TO || size <= n >> 4 ? new Float64Array(size) : null;
        buckets.push({ set: k, digit: d, below, ranks: mine, size, min: Infinity, max: -Infinity, values, filled: 0 });
      }
      below += size;
    }
    return { n, wanted, ranks, buckets };
  });
  // Which buckets each cell's values may go to, by digit.
  const memberOf = cells.map(() => [] as number[]);
  sets.forEach((set, k) => set.forEach((c) => memberOf[c]!.push(k)));
  cells.forEach((p, c) => {
    const targets: Bucket[][] = [];
    for (const k of memberOf[c]!) {
      for (const b of plans[k]!.buckets) {
        if (slotOf[b.digit] === -1) {
          slotOf[b.digit] = targets.length;
          targets.push([]);
        }
        targets[slotOf[b.digit]!]!.push(b);
      }
    }
    if (targets.length) {
      const v = views[c]!;
      for (let i = 0, len = p.length; i < len; i++) {
        const s = slotOf[v[2 * i + HI]! >>> 16]!;
        if (s < 0) continue;
        const x = p[i]!;
        for (const b of targets[s]!) {
          if (x < b.min) b.min = x;
          if (x > b.max) b.max = x;
          if (b.values) b.values[b.filled++] = x;
        }
      }
    }
    for (const k of memberOf[c]!) for (const b of plans[k]!.buckets) slotOf[b.digit] = -1;
  });
  return plans.map(({ n, wanted, buckets }, k) => {
    if (n === 0) return fractions.map(() => null);
    const at = new Map<number, number>();
    for (const b of buckets) {
      if (b.min === b.max) for (const x of b.ranks) at.set(b.below + x, b.min);
      else if (b.values && b.size <= SORT_UP_TO) {
        b.values.sort();
        for (const x of b.ranks) at.set(b.below + x, b.values[x]!);
      } else if (b.values) select([new Uint32Array(b.values.buffer)], [b.values], b.size, b.ranks, 1, [b.digit], at, b.below);
      else {
        const members = sets[k]!;
        select(members.map((c) => views[c]!), members.map((c) => cells[c]!), b.size, b.ranks, 1, [b.digit], at, b.below);
      }
    }
    return interpolate(wanted, at);
  });
}

/** percentile_cont of each fraction over the union of the arrays (null when they hold no values): one set of percentilesOfSets. */
export function percentiles(parts: readonly Float64Array[], fractions: readonly number[]): (number | null)[] {
  return percentilesOfSets(parts, [parts.map((_, i) => i)], fractions)[0]!;
}
