/** Everything the console lets someone do; actions and pages name one of these. */
export const PERMISSIONS = [
  "console.view",
  "providers.manage",
  "accounts.manage",
  "users.manage",
  "users.grant_roles",
  // Adding, changing and deleting LDAP directories: a bind credential is a secret like a cloud's.
  "ldap.manage",
  "allocation.manage",
  "accounting.manage",
  "imports.run",
  "launch_tests.run",
  "audit.view",
  "self.update",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type Role = "superuser" | "staff" | "none";

const SUPERUSER_ONLY: readonly Permission[] = ["users.grant_roles", "ldap.manage"];
const STAFF: Permission[] = PERMISSIONS.filter((p) => !SUPERUSER_ONLY.includes(p));

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
