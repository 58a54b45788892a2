export type SystemPackage = { bin: string; apt: string };
export const TEST_SYSTEM_PACKAGES: SystemPackage[];
export function installCommand(names: string[], opts?: { root?: boolean }): string;
export function ensureSystemPackages(pkgs?: SystemPackage[], opts?: { log?: (msg: string) => void }): Promise<string[]>;
