// Installs the Debian packages the tests need (Chromium for Playwright, Dovecot for
// the IMAP tests) when their binary is missing and we can: root with apt-get.
// Otherwise throws an Error whose message is the exact command to run.
//
// Plain ESM JavaScript: the test runner imports it before any TypeScript tooling.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";

/** The packages the test suite needs: the binary that proves it is there, and its Debian package. */
export const TEST_SYSTEM_PACKAGES = [
  { bin: "/usr/bin/chromium", apt: "chromium" },
  { bin: "/usr/sbin/dovecot", apt: "dovecot-imapd" },
];

// invoke-rc.d and deb-systemd-invoke ask this script whether a package may start its
// service; exit 101 means "no". Installing dovecot-imapd would otherwise start a system
// Dovecot on 143/993 (or fail in a container without an init system).
const POLICY_RC_D = "/usr/sbin/policy-rc.d";
const APT_LOCK_WAIT = ["-o", "DPkg::Lock::Timeout=600"];

let aptUpdated = false;

/** The command a person runs to install these Debian packages. */
export function installCommand(names, { root = isRoot() } = {}) {
  const cmd = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${names.join(" ")}`;
  return root ? cmd : `sudo sh -c '${cmd}'`;
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function hasAptGet() {
  return spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
}

/** Runs a command with its output streamed to ours; rejects on a non-zero exit. */
function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * For each `{ bin, apt }` whose `bin` does not exist, installs `apt` with apt-get.
 * Resolves with the Debian package names it installed (empty when nothing was missing).
 */
export async function ensureSystemPackages(pkgs = TEST_SYSTEM_PACKAGES, { log = console.log } = {}) {
  const missing = pkgs.filter((p) => !existsSync(p.bin));
  if (!missing.length) return [];
  const names = [...new Set(missing.map((p) => p.apt))];
  const command = installCommand(names);
  if (!isRoot() || !hasAptGet()) throw new Error(command);

  log(`Installing ${names.join(" ")} (apt-get)…`);
  const addedPolicy = !existsSync(POLICY_RC_D);
  const removePolicy = () => {
    if (addedPolicy) rmSync(POLICY_RC_D, { force: true });
  };
  if (addedPolicy) {
    writeFileSync(POLICY_RC_D, "#!/bin/sh\n# Written by Relaydesk's test setup while apt-get installs test packages.\nexit 101\n", { mode: 0o755 });
    process.once("exit", removePolicy); // also when we are interrupted mid-install
  }
  try {
    if (!aptUpdated) {
      await run("apt-get", [...APT_LOCK_WAIT, "update"]);
      aptUpdated = true;
    }
    await run("apt-get", [...APT_LOCK_WAIT, "install", "-y", "--no-install-recommends", ...names], { DEBIAN_FRONTEND: "noninteractive" });
  } catch (e) {
    throw new Error(`${e.message}. Install by hand with:\n${command}`, { cause: e });
  } finally {
    removePolicy();
    process.removeListener("exit", removePolicy);
  }
  const still = missing.filter((p) => !existsSync(p.bin));
  if (still.length) throw new Error(`${still.map((p) => p.bin).join(", ")} still missing after apt-get install ${names.join(" ")}`);
  return names;
}
