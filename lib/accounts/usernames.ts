/**
 * Usernames as people paste them: separated by commas, semicolons, spaces or new lines.
 * Keystone user and project names take them as they are, so only a safe set is accepted.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

export function isValidUsername(name: string): boolean {
  return USERNAME_PATTERN.test(name);
}

/** Splits a pasted list: unique names in the order given (case-insensitively), and the ones refused. */
export function parseUsernameList(text: string): { usernames: string[]; invalid: string[] } {
  const seen = new Set<string>();
  const usernames: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const name = raw.trim();
    if (!name) continue;
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    (isValidUsername(name) ? usernames : invalid).push(name);
  }
  return { usernames, invalid };
}
