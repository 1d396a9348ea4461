/**
 * Console roles from an identity provider's `groups` claim (CLOUDPORT_OIDC_STAFF_GROUPS,
 * CLOUDPORT_OIDC_SUPERUSER_GROUPS). Only the `groups` claim of the signed ID token counts:
 * never a name, username or any other profile field a person can edit at the provider.
 */

/** A comma list from the environment; undefined (unset or blank) means "roles stay manual". */
export function parseGroupList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  return list.length ? [...new Set(list)] : undefined;
}

/**
 * The groups the provider asserted: an array of strings (anything else in it is ignored), or a
 * single string as one group. A missing or malformed claim is no groups at all.
 */
export function groupsClaim(profile: { groups?: unknown } | null | undefined): string[] {
  const raw = profile?.groups;
  if (typeof raw === "string") return raw ? [raw] : [];
  if (!Array.isArray(raw)) return [];
  return raw.filter((g): g is string => typeof g === "string" && g.length > 0 && g.length <= 500);
}

export type SsoRoleConfig = { staffGroups?: string[]; superuserGroups?: string[] };
export type SsoRoles = { isStaff?: boolean; isSuperuser?: boolean };

/**
 * The roles the claim gives, for each role whose group list is configured (an unset list leaves
 * that role out: it stays as a superuser set it). Group names match exactly (case-sensitive).
 */
export function rolesFromGroups(groups: string[], config: SsoRoleConfig): SsoRoles {
  const has = new Set(groups);
  const roles: SsoRoles = {};
  if (config.staffGroups) roles.isStaff = config.staffGroups.some((g) => has.has(g));
  if (config.superuserGroups) roles.isSuperuser = config.superuserGroups.some((g) => has.has(g));
  return roles;
}

/**
 * Whether a password sign-in is refused: with group-managed roles configured, an account bound
 * to single sign-on that holds a role the groups manage signs in through single sign-on only,
 * so a role the identity provider took away is not kept by signing in with a password. Local
 * (unbound) accounts, e.g. a break-glass superuser, are unaffected.
 */
export function passwordSignInRefused(user: { oidcSubject: string | null; isStaff: boolean; isSuperuser: boolean }, config: SsoRoleConfig): boolean {
  if (!user.oidcSubject) return false;
  return Boolean((config.staffGroups && user.isStaff) || (config.superuserGroups && user.isSuperuser));
}
