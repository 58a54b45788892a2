/**
 * npm run bench form [url] — contact-form submissions per second through HTTP on a
 * running Relaydesk (default http://localhost:3000, e.g. after `npm run quickstart`):
 * plain multipart posts to /c/acme/submit from CONCURRENCY clients for SECONDS.
 * Every post is a new customer from its own address, so the per-email and per-IP
 * limits (which trust X-Forwarded-For from the proxy in front) do not throttle it.
 * Email delivery happens later in the worker and is not part of the figure.
 */
const base = (process.argv[3] ?? "http://localhost:3000").replace(/\/$/, "");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

export async function benchForm() {
  const run = `${Date.now().toString(36)}`;
  let n = 0;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const client = async () => {
    while (performance.now() < deadline) {
      const i = n++;
      const fd = new FormData();
      fd.set("name", `Bench Customer ${i}`);
      fd.set("email", `bench-${run}-${i}@example.com`);
      fd.set("subject", `Benchmark request ${i}`);
      fd.set("message", "I would like to know the status of my order. ".repeat(8));
      fd.set("website", "");
      const t = performance.now();
      const res = await fetch(`${base}/c/acme/submit?lang=en`, { method: "POST", body: fd, redirect: "manual", headers: { "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } });
      await res.arrayBuffer();
      const ok = res.status === 303 && /[?&]done=\d+/.test(res.headers.get("location") ?? "");
      if (ok) latencies.push(performance.now() - t);
      else failures.set(`HTTP ${res.status} ${res.headers.get("location")?.slice(0, 60) ?? ""}`, (failures.get(`HTTP ${res.status}`) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - t0) / 1000;
  console.log(`Contact form on ${base}: ${concurrency} concurrent clients for ${seconds} s`);
  console.log(`tickets created          ${latencies.length} (${(latencies.length / elapsed).toFixed(1)} submissions/s)`);
  console.log(`latency                  p50 ${pct(latencies, 50).toFixed(0)} ms  p95 ${pct(latencies, 95).toFixed(0)} ms  p99 ${pct(latencies, 99).toFixed(0)} ms`);
  console.log(`failed                   ${[...failures].map(([k, v]) => `${k} ×${v}`).join(", ") || "0"}`);
}
