import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";
import bcrypt from "bcryptjs";

// Portal passwords are hashed with argon2id (@node-rs/argon2: native, runs on libuv's thread pool,
// off the event loop) with the OWASP parameters (19 MiB, 2 passes, 1 lane). Hashes made by
// earlier versions with bcryptjs are still verified (bcryptjs only ever verifies now) and are
// replaced by an argon2id hash at the user's next successful sign-in (`needsRehash`).

const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a portal login password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2_OPTIONS);
}

const isBcrypt = (hash: string) => /^\$2[aby]\$\d{2}\$/.test(hash);

/** Checks a password against an argon2id (or legacy bcrypt) hash; false for a missing hash (SSO-only users). */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) return false;
  if (isBcrypt(hash)) return bcrypt.compare(password, hash);
  try {
    return await argon2Verify(hash, password);
  } catch {
    // A malformed stored hash matches nothing.
    return false;
  }
}

/** True when a stored hash is not argon2id with today's parameters (then re-hash it after a good login). */
export function needsRehash(hash: string | null | undefined): boolean {
  if (!hash) return false;
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
  if (!m) return true;
  return Number(m[1]) < ARGON2_OPTIONS.memoryCost || Number(m[2]) < ARGON2_OPTIONS.timeCost;
}

// Compared against when the user does not exist, so that a wrong username costs the same
// time as a wrong password and usernames cannot be probed by timing.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  await verifyPassword(password, await dummyHash);
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
