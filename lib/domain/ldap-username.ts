/**
 * Whether a username read from an LDAP directory may become a Keystone user name: 1–64 of
 * letters, digits and . _ @ - starting with a letter or digit (no spaces, slashes, colons or
 * control characters — Keystone accepts more, but such names break openrc files, URLs and the
 * portal's own username rules). Returns the reason when not.
 */
export function ldapUsernameProblem(name: string): string | null {
  if (!name) return "empty";
  if (name.length > 64) return "longer than 64 characters";
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(name)) return "only letters, digits and . _ @ - are allowed, starting with a letter or digit";
  return null;
}
