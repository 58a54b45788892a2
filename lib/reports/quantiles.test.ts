import { describe, expect, it } from "vitest";
import { decodeFloat8, percentiles, percentilesOfSets } from "@/lib/reports/quantiles";
import { percentile } from "@/lib/reports/stats";
import { prng } from "@/lib/seed/prng";

/*
 * The agent report's medians and p90s are computed by radix selection over the values' bits
 * (lib/reports/quantiles.ts); they must equal, bit for bit, what sorting gives (stats.ts percentile,
 * which is percentile_cont's interpolation) for any values and any split of them into parts.
 */
const FRACTIONS = [0.5, 0.9];

function split(values: number[], parts: number, random: () => number): Float64Array[] {
  const out: number[][] = Array.from({ length: parts }, () => []);
  for (const v of values) out[Math.floor(random() * parts)]!.push(v);
  return out.map((p) => Float64Array.from(p));
}

function expectLikeSorting(values: number[], parts: Float64Array[]) {
  const copies = parts.map((p) => p.slice());
  const want = FRACTIONS.map((p) => percentile(values, p));
  const got = percentiles(parts, FRACTIONS);
  expect(got.map((x) => (x === null ? null : Object.is(x, -0) ? 0 : x))).toEqual(want.map((x) => (x === null ? null : Object.is(x, -0) ? 0 : x)));
  // The parts are read, never reordered: the same arrays serve the agent, the group and the total.
  parts.forEach((p, i) => expect(p).toEqual(copies[i]));
}

describe("percentiles by radix selection", () => {
  it("equal what sorting gives, for durations of every shape", () => {
    const random = prng(42);
    const shapes: Record<string, () => number> = {
      // Milliseconds-precise durations from seconds to months (what real desks have).
      spread: () => Math.round(random() * random() * 5e9) / 1000,
      // Few distinct values repeated many times (what the benchmark's generator makes).
      repeated: () => [1200, 3600, 9660, 17520, 86400][Math.floor(random() * 5)]!,
      allEqual: () => 1200,
      // Values that share their upper bits, so selection has to go down to the last 16 bits.
      closeTogether: () => 1200 + Math.floor(random() * 64) * 2 ** -42, // 2^-42: the step between doubles near 1200
      // Two large groups that differ in bits 16–31 of the low word, each spread over bits 0–15.
      lowWordHalves: () => 1200 + (Math.floor(random() * 2) * 65_536 + Math.floor(random() * 64)) * 2 ** -42,
      zerosAndTiny: () => (random() < 0.5 ? 0 : random() < 0.5 ? Number.MIN_VALUE * Math.floor(random() * 10) : random() * 1e-300),
      huge: () => random() * Number.MAX_VALUE,
    };
    for (const [name, make] of Object.entries(shapes)) {
      for (const n of [1, 2, 3, 10, 11, 999, 1000, 1025, 5000, 40_000]) {
        const values = Array.from({ length: n }, make);
        for (const parts of [1, 3, 18]) {
          try {
            expectLikeSorting(values, split(values, parts, random));
          } catch (e) {
            throw new Error(`${name}, ${n} values in ${parts} parts: ${(e as Error).message}`, { cause: e });
          }
        }
      }
    }
  });

  it("serve several sets sharing cells (per agent, per group, in total) as each alone", () => {
    const random = prng(7);
    const makers = [() => Math.round(random() * random() * 5e9) / 1000, () => [1200, 3600, 9660, 86400][Math.floor(random() * 4)]!, () => 1200 + Math.floor(random() * 64) * 2 ** -42];
    for (const make of makers) {
      // 3 agents × 2 groups (cell a·2 + g), some of them empty, one large.
      const cells = [0, 40, 7, 1, 3000, 0].map((n) => Float64Array.from({ length: n }, make));
      const sets = [[0, 1], [2, 3], [4, 5], [0, 2, 4], [1, 3, 5], [0, 1, 2, 3, 4, 5], [0, 5], []];
      const got = percentilesOfSets(cells, sets, FRACTIONS);
      sets.forEach((set, k) => {
        const values = set.flatMap((c) => [...cells[c]!]);
        expect(got[k]).toEqual(FRACTIONS.map((p) => percentile(values, p)));
      });
    }
  });

  it("interpolate between the two closest ranks, exactly as percentile_cont does", () => {
    // [1 h, 1 h, 20 h]: median 1 h; p90 at rank 1.8 = 1 h + 0.8 × 19 h (the report test's numbers).
    const H = 3600;
    expect(percentiles([Float64Array.from([20 * H]), Float64Array.from([H, H])], FRACTIONS)).toEqual([H, H + (20 * H - H) * (0.9 * 2 - 1)]);
    expect(percentiles([Float64Array.from([3 * H, 45 * H])], FRACTIONS)).toEqual([3 * H + (45 * H - 3 * H) * 0.5, 3 * H + (45 * H - 3 * H) * 0.9]);
  });

  it("give null for no values, whatever the parts", () => {
    expect(percentiles([], FRACTIONS)).toEqual([null, null]);
    expect(percentiles([new Float64Array(0), new Float64Array(0)], FRACTIONS)).toEqual([null, null]);
  });

  it("sort values whose bits do not sort like numbers (negative, −0, infinite, NaN) as percentile_cont does", () => {
    expectLikeSorting([5, -3, 2, -0, 0, 7], [Float64Array.from([5, -3, 2]), Float64Array.from([-0, 0, 7])]);
    expectLikeSorting([1, Infinity, 3], [Float64Array.from([1, Infinity, 3])]);
    // NaN sorts after every number in PostgreSQL and in a Float64Array sort.
    expect(percentiles([Float64Array.from([NaN, 1, 2, 3])], [0, 0.5])).toEqual([1, 2.5]);
  });
});

describe("float8 values as PostgreSQL sends them", () => {
  it("are decoded bit for bit from big-endian float8send bytes in base64, line breaks and all", () => {
    const values = [0, 1200, 1234.567, Number.MIN_VALUE, Number.MAX_VALUE, 1 / 3, 86_400 * 365.25];
    const bytes = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => bytes.writeDoubleBE(v, i * 8));
    const base64 = bytes.toString("base64").replace(/(.{76})/g, "$1\n"); // encode(..., 'base64') breaks lines at 76
    expect([...decodeFloat8(base64, values.length)]).toEqual(values);
    expect(decodeFloat8(null, 0)).toEqual(new Float64Array(0));
    expect(() => decodeFloat8(base64, values.length + 1)).toThrow(/expected 64 bytes/);
  });
});
