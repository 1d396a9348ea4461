import { randomInt } from "node:crypto";
import { passwordProblem } from "@/lib/auth/password";

// No look-alikes (0/O, 1/l/I) and no quotes or spaces: people copy these by hand or by eye.
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SYMBOLS = "-_.!@#%+=";
const ALPHABET = LOWER + UPPER + DIGITS + SYMBOLS;

export const GENERATED_PASSWORD_LENGTH = 20;

/**
 * A random password that passes the strength rules for `username` (20 characters from a
 * 64-symbol alphabet, about 120 bits). Shown once to the person who made it; only its hash is kept.
 */
export function generatePassword(username?: string, length = GENERATED_PASSWORD_LENGTH): string {
  for (;;) {
    let out = "";
    for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
    // Rejection keeps the distribution uniform; at length 20 a retry is rare.
    if (passwordProblem(out, username) === null && /[a-z]/.test(out) && /[A-Z]/.test(out) && /[0-9]/.test(out)) return out;
  }
}
