import path from "node:path";
import { defineConfig } from "vitest/config";

// Vitest 5 targets Node 22; its reporter uses Map.groupBy, which Node 20 lacks.
if (!("groupBy" in Map)) {
  Object.defineProperty(Map, "groupBy", {
    value<K, V>(items: Iterable<V>, key: (v: V, i: number) => K) {
      const m = new Map<K, V[]>();
      let i = 0;
      for (const v of items) {
        const k = key(v, i++);
        const list = m.get(k);
        if (list) list.push(v);
        else m.set(k, [v]);
      }
      return m;
    },
  });
}

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "lib/test/empty.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "workers/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".data/**", ".test-data/**"],
    globalSetup: ["lib/test/global-setup.ts"],
    setupFiles: ["lib/test/setup-db.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
