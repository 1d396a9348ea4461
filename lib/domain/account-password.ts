import crypto from "node:crypto";
import { MIN_ACCOUNT_SECRET_LENGTH } from "./account-secret-rules";

export { MIN_ACCOUNT_SECRET_LENGTH };

export type PasswordStrategy = "sha_v2" | "sha_v1";

/**
 * Derives a user's OpenStack password from the provider's account secret, as Atmosphere
 * does: sha_v2 = hex SHA-256 of username + secret; sha_v1 (legacy) = of secret + username.
 * The result is never stored: it can always be derived again.
 */
export function deriveAccountPassword(username: string, secret: string, strategy: PasswordStrategy = "sha_v2"): string {
  if (!username) throw new Error("Cannot derive a password for an empty username.");
  if (!secret || secret.length < MIN_ACCOUNT_SECRET_LENGTH) {
    throw new Error(`The account secret must be at least ${MIN_ACCOUNT_SECRET_LENGTH} characters.`);
  }
  const input = strategy === "sha_v2" ? username + secret : secret + username;
  return crypto.createHash("sha256").update(input, "utf8").digest("hex");
}

/** A new random account secret (48 URL-safe characters). */
export function generateAccountSecret(): string {
  return crypto.randomBytes(36).toString("base64url");
}
