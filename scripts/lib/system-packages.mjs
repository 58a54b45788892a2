// Installs the Debian packages the test suite needs (Chromium for Playwright,
// Dovecot for the IMAP tests) when they are missing and we can: root with apt.
// Otherwise stops with the exact command to run.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

export const TEST_PACKAGES = [
  { bin: "/usr/bin/chromium", apt: "chromium" },
  { bin: "/usr/sbin/dovecot", apt: "dovecot-imapd" },
];

export function ensureSystemPackages(pkgs = TEST_PACKAGES, log = console.log) {
  const missing = pkgs.filter((p) => !existsSync(p.bin));
  if (!missing.length) return;
  const names = missing.map((p) => p.apt).join(" ");
  const command = `apt-get update && apt-get install -y --no-install-recommends ${names}`;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(`The test suite needs ${names}. Install it with:\n  sudo ${command}`);
  }
  log(`Installing ${names} (apt-get)…`);
  // A container has no init system: keep package scripts from starting services (exit 101 = not allowed).
  const policy = "/usr/sbin/policy-rc.d";
  const addedPolicy = !existsSync(policy);
  const script = [
    addedPolicy ? `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod +x ${policy}` : "true",
    "apt-get -o DPkg::Lock::Timeout=600 update -qq",
    `DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends ${names}`,
  ].join(" && ");
  const r = spawnSync("sh", ["-c", script], { stdio: "inherit" });
  if (addedPolicy) spawnSync("rm", ["-f", policy]);
  if (r.status !== 0) throw new Error(`Installing ${names} failed. Run it by hand:\n  ${command}`);
  const still = missing.filter((p) => !existsSync(p.bin));
  if (still.length) throw new Error(`${still.map((p) => p.bin).join(", ")} still missing after apt-get install.`);
}
