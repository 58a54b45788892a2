#!/usr/bin/env node
// Prints the gzipped size of the embeddable chat loader and fails above the budget.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const LIMIT = 15 * 1024;
const file = fileURLToPath(new URL("../public/widget.js", import.meta.url));
const source = readFileSync(file);
const gzipped = gzipSync(source, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`public/widget.js: ${kb(source.length)} raw, ${kb(gzipped)} gzipped (limit ${kb(LIMIT)})`);
if (gzipped > LIMIT) {
  console.error(`public/widget.js is ${gzipped - LIMIT} bytes over the ${kb(LIMIT)} gzip budget.`);
  process.exit(1);
}
