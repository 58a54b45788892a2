/**
 * Every permission the server checks. Roles are sets of these; the built-in roles
 * are defined here and kept in sync with the database by the seed.
 */
export const PERMISSIONS = [
  "tickets.view",
  "tickets.reply",
  "tickets.update",
  "tickets.assign",
  "tickets.create",
  "tickets.bulk",
  "tickets.merge",
  "tickets.delete",
  "tickets.purge",
  "customers.edit",
  "chats.answer",
  "chats.manage",
  "reports.view",
  "brands.all",
  "admin.users",
  "admin.roles",
  "admin.groups",
  "admin.brands",
  "admin.mailboxes",
  "admin.automations",
  "admin.settings",
  "admin.messages",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (p: string): p is Permission => (PERMISSIONS as readonly string[]).includes(p);

export type BuiltInRole = "ADMIN" | "MANAGER" | "AGENT";

const AGENT: Permission[] = [
  "tickets.view",
  "tickets.reply",
  "tickets.update",
  "tickets.assign",
  "tickets.create",
  "tickets.bulk",
  "tickets.merge",
  "tickets.delete",
  "customers.edit",
  "chats.answer",
];

export const BUILT_IN_ROLES: Record<BuiltInRole, { name: string; permissions: Permission[] }> = {
  ADMIN: { name: "Admin", permissions: [...PERMISSIONS] },
  MANAGER: { name: "Manager", permissions: [...AGENT, "chats.manage", "reports.view", "brands.all"] },
  AGENT: { name: "Agent", permissions: AGENT },
};

/** Navigation sections and the permission that shows each. */
export const NAV_PERMISSIONS = {
  inbox: "tickets.view",
  chats: "chats.answer",
  reports: "reports.view",
  admin: ["admin.users", "admin.roles", "admin.groups", "admin.brands", "admin.mailboxes", "admin.automations", "admin.settings", "admin.messages"],
} as const satisfies Record<string, Permission | readonly Permission[]>;

export function hasPermission(perms: readonly string[], p: Permission): boolean {
  return perms.includes(p);
}

export function canSeeAdmin(perms: readonly string[]): boolean {
  return NAV_PERMISSIONS.admin.some((p) => perms.includes(p));
}
