import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { handleTrpc } from "@/lib/trpc/handler";

/**
 * The app's own CPU per call, one call at a time after the load (200 chats open): what each
 * procedure costs this process (handler, Prisma, pg client, the publish's HTTP client),
 * free of the queueing that the figures under load include.
 */
export async function printCallCosts(base: string, statements: () => number, calls: { label: string; path: string; type: "query" | "mutation"; input: (i: number) => unknown; cookie: string }[], n = Number(process.env.BENCH_COST_CALLS ?? 100)) {
  for (const c of calls) {
    const request = (i: number) => {
      const payload = JSON.stringify({ json: c.input(i) });
      return c.type === "query"
        ? new Request(`${base}/api/trpc/${c.path}?input=${encodeURIComponent(payload)}`, { headers: { cookie: c.cookie } })
        : new Request(`${base}/api/trpc/${c.path}`, { method: "POST", headers: { cookie: c.cookie, "content-type": "application/json" }, body: payload });
    };
    await (await handleTrpc(request(0))).arrayBuffer();
    // BENCH_COST_PROFILE=dir writes a V8 CPU profile of each procedure's calls.
    const session = process.env.BENCH_COST_PROFILE ? new Session() : null;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    }
    const cpu = process.cpuUsage();
    const s0 = statements();
    const t = performance.now();
    let failed = 0;
    for (let i = 1; i <= n; i++) {
      const r = await handleTrpc(request(i));
      await r.arrayBuffer();
      if (!r.ok) failed++;
    }
    const used = process.cpuUsage(cpu);
    if (session) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(`${process.env.BENCH_COST_PROFILE}/${c.path}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    console.log(`cost ${c.label.padEnd(26)} ${((used.user + used.system) / n / 1000).toFixed(2)} ms CPU/call  ${((performance.now() - t) / n).toFixed(2)} ms wall  ${((statements() - s0) / n).toFixed(1)} statements/call${failed ? `  (${failed} failed)` : ""}`);
  }
}
