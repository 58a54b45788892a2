// Read from the seed's data file so the printed sign-ins never drift from the seed.
import { readFileSync } from "node:fs";
import path from "node:path";

const src = readFileSync(path.resolve(import.meta.dirname, "../../lib/seed/demo-data.ts"), "utf8");
export const DEMO_PASSWORD = /DEMO_PASSWORD = "([^"]+)"/.exec(src)[1];
export const DEMO_USERS = [...src.matchAll(/\{ email: "([^"]+)", name: "[^"]+", role: "(\w+)"/g)].map((m) => ({ email: m[1], role: m[2] }));
