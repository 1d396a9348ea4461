import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, ensureDataDir } from "./db/client";
import { env } from "@/lib/env";

const PREFIX = "v1";
let cachedKey: Buffer | undefined;

export function parseKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error("CLOUDPORT_SECRET_KEY must be 32 bytes, given as 64 hex characters or base64 (openssl rand -base64 32).");
  }
  return key;
}

/** Reads a random value from .data/<name>, creating it on first use (embedded setup only). */
function localSecret(name: string): string {
  const file = path.join(dataDir(), name);
  if (!fs.existsSync(file)) {
    ensureDataDir();
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process created it first; use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}

// A production server (NODE_ENV=production) never generates its keys, whichever database it
// uses: a key in .data/ next to an embedded database is lost with the container. `next build`
// runs with NODE_ENV=production too but reads no secret.
const isProduction = () => env().NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build";

const startupEnv = (): Record<string, string | undefined> => ({
  NODE_ENV: env().NODE_ENV,
  CLOUDPORT_SECRET_KEY: env().CLOUDPORT_SECRET_KEY,
  AUTH_SECRET: env().AUTH_SECRET,
  NEXT_PHASE: process.env.NEXT_PHASE,
});

/** Why a production server must not start (missing keys), or null. Checked first by startup(). */
export function productionSecretsProblem(env: Record<string, string | undefined> = startupEnv()): string | null {
  if (env.NODE_ENV !== "production" || env.NEXT_PHASE === "phase-production-build") return null;
  const missing = ["CLOUDPORT_SECRET_KEY", "AUTH_SECRET"].filter((k) => !env[k]);
  if (missing.length === 0) return null;
  return `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} required in production (generate with: openssl rand -base64 32). Cloudport does not start without ${missing.length === 1 ? "it" : "them"}.`;
}

/** The Auth.js signing secret: AUTH_SECRET, or one generated into .data/ for the embedded setup. */
export function authSecret(): string {
  const { AUTH_SECRET } = env();
  if (AUTH_SECRET) return AUTH_SECRET;
  if (isProduction()) throw new Error("AUTH_SECRET is required in production (generate one with: openssl rand -base64 32).");
  return localSecret("auth-secret");
}

/**
 * The key comes from CLOUDPORT_SECRET_KEY; only the embedded development setup may
 * generate one into .data/, because losing it makes every stored secret unreadable.
 */
export function secretKey(): Buffer {
  if (cachedKey) return cachedKey;
  const { CLOUDPORT_SECRET_KEY } = env();
  if (CLOUDPORT_SECRET_KEY) {
    cachedKey = parseKey(CLOUDPORT_SECRET_KEY);
    return cachedKey;
  }
  if (isProduction()) {
    throw new Error("CLOUDPORT_SECRET_KEY is required in production (generate one with: openssl rand -base64 32).");
  }
  cachedKey = parseKey(localSecret("secret.key"));
  return cachedKey;
}

/** Encrypts a secret with AES-256-GCM; the result is `v1:<iv>:<tag>:<ciphertext>` in base64. */
export function encryptSecret(plaintext: string, key: Buffer = secretKey()): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [PREFIX, iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

/** Decrypts what encryptSecret produced; throws if the value was tampered with or the key differs. */
export function decryptSecret(sealed: string, key: Buffer = secretKey()): string {
  const [prefix, iv, tag, data] = sealed.split(":");
  if (prefix !== PREFIX || !iv || !tag || data === undefined) throw new Error("Not an encrypted secret.");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("A stored secret could not be decrypted: CLOUDPORT_SECRET_KEY differs from the key it was sealed with.");
  }
}
