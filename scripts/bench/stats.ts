import { readFileSync, readdirSync } from "node:fs";

export function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.at(-1) ?? NaN };
}

export function row(label: string, ms: number[]) {
  const p = percentiles(ms);
  return `${label.padEnd(44)} n=${String(p.n).padStart(4)}  p50 ${p.p50.toFixed(1).padStart(7)} ms  p95 ${p.p95.toFixed(1).padStart(7)} ms  p99 ${p.p99.toFixed(1).padStart(7)} ms`;
}

/** CPU seconds (user + system) used so far by a process and its descendants, also those that have exited (reaped children count in their parent), from Linux /proc. */
export function cpuSeconds(pid: number): number {
  let total = 0;
  const walk = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
      for (const task of readdirSync(`/proc/${p}/task`)) {
        for (const c of readFileSync(`/proc/${p}/task/${task}/children`, "utf8").split(" ").filter(Boolean)) walk(Number(c));
      }
    } catch {
      // gone meanwhile
    }
  };
  walk(pid);
  return total;
}
