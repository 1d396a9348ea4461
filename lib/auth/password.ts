import bcrypt from "bcryptjs";

const COST = 11;

/** Hashes a portal login password with bcrypt. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

/** Checks a password against a bcrypt hash; false for a missing hash (SSO-only users). */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) return false;
  return bcrypt.compare(password, hash);
}

// Compared against when the user does not exist, so that a wrong username costs the same
// time as a wrong password and usernames cannot be probed by timing.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= bcrypt.hash(crypto.randomUUID(), COST);
  await bcrypt.compare(password, await dummyHash);
}

/** Returns what is wrong with a new password, or null if it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 12) return "Use at least 12 characters.";
  if (password.length > 200) return "Use at most 200 characters.";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return "Mix at least three of: lower case, upper case, digits, symbols.";
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "Do not include the username.";
  return null;
}
