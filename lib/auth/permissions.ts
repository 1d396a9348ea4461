/** Everything the console lets someone do; actions and pages name one of these. */
export const PERMISSIONS = [
  "console.view",
  "providers.manage",
  "accounts.manage",
  "users.manage",
  "users.grant_roles",
  "allocation.manage",
  "accounting.manage",
  "imports.run",
  "launch_tests.run",
  "audit.view",
  "self.update",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type Role = "superuser" | "staff" | "none";

const STAFF: Permission[] = PERMISSIONS.filter((p) => p !== "users.grant_roles");

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  superuser: PERMISSIONS,
  staff: STAFF,
  // Portal users with no console access; they own identities, nothing here.
  none: [],
};

export function roleOf(user: { isStaff: boolean; isSuperuser: boolean; isActive: boolean }): Role {
  if (!user.isActive) return "none";
  if (user.isSuperuser) return "superuser";
  return user.isStaff ? "staff" : "none";
}

export function can(user: { isStaff: boolean; isSuperuser: boolean; isActive: boolean }, permission: Permission): boolean {
  return ROLE_PERMISSIONS[roleOf(user)].includes(permission);
}
