export function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.at(-1) ?? NaN };
}

export function row(label: string, ms: number[]) {
  const p = percentiles(ms);
  return `${label.padEnd(44)} n=${String(p.n).padStart(4)}  p50 ${p.p50.toFixed(1).padStart(7)} ms  p95 ${p.p95.toFixed(1).padStart(7)} ms  p99 ${p.p99.toFixed(1).padStart(7)} ms`;
}
