import { defineConfig } from "prisma/config";

// The datasource URL is only needed by online Prisma CLI commands; Relaydesk's own
// migration script (scripts/db-migrate.ts) runs Prisma's schema engine as WebAssembly.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "node --conditions=react-server --import tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/relaydesk" },
});
