import { z } from "zod";

// Every environment variable Cloudport reads, parsed here once with zod (README → Configuration
// lists each one). Code reads `env().NAME`, never process.env. Exceptions, on purpose: Next's
// own NEXT_RUNTIME / NEXT_PHASE in instrumentation.ts (build-time constants Next inlines per
// runtime), and the OS_* variables, which only tests and benchmarks read (lib/openstack/testing).

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const text = () => z.preprocess(blank, z.string().trim().optional());
/** A whole number of at least `min`, or the default when unset. */
const count = (fallback: number, min = 1) =>
  z.preprocess(
    blank,
    z.coerce
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(min, `must be at least ${min}`)
      .default(fallback),
  );
const optionalMs = () => z.preprocess(blank, z.coerce.number({ message: "must be a number" }).int("must be a whole number").positive("must be positive").optional());

export const envSchema = z.object({
  NODE_ENV: z.preprocess(blank, z.enum(["development", "production", "test"]).optional()),
  // Database and local data
  DATABASE_URL: text(),
  DATABASE_POOL_SIZE: count(10),
  CLOUDPORT_DATA_DIR: text(),
  NEXT_DIST_DIR: z.preprocess(blank, z.string().trim().default(".next")),
  // Secrets and sign-in
  CLOUDPORT_SECRET_KEY: text(),
  AUTH_SECRET: text(),
  CLOUDPORT_ADMIN_USERNAME: text(),
  CLOUDPORT_ADMIN_PASSWORD: z.preprocess(blank, z.string().optional()),
  // Read by Auth.js itself: the public URL of the console, for the OIDC redirect URI.
  AUTH_URL: text(),
  AUTH_OIDC_ISSUER: text(),
  AUTH_OIDC_ID: text(),
  AUTH_OIDC_SECRET: text(),
  AUTH_OIDC_NAME: text(),
  CLOUDPORT_OIDC_STAFF_GROUPS: text(),
  CLOUDPORT_OIDC_SUPERUSER_GROUPS: text(),
  CLOUDPORT_TRUSTED_PROXIES: text(),
  // Background work
  CLOUDPORT_WORKER: z.preprocess(blank, z.enum(["0", "1"], { message: 'must be "0" (off) or "1" (on)' }).default("1")),
  CLOUDPORT_WORKER_CONCURRENCY: count(2),
  CLOUDPORT_INTERACTIVE_CONCURRENCY: count(2),
  CLOUDPORT_CAPACITY_INTERVAL_SECONDS: count(900, 60),
  CLOUDPORT_SCHEDULER_TICK_MS: count(30_000),
  CLOUDPORT_LAUNCH_SWEEP_MS: count(60_000),
  CLOUDPORT_ACCOUNT_CONCURRENCY: count(4),
  CLOUDPORT_DRIFT_CONCURRENCY: count(8),
  CLOUDPORT_LAUNCH_BOOT_TIMEOUT_MS: optionalMs(),
  CLOUDPORT_LAUNCH_POLL_MS: optionalMs(),
  // Mail (enforcement notices); off when CLOUDPORT_SMTP_URL is unset.
  CLOUDPORT_SMTP_URL: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^smtps?:\/\/[^\s/]+(:\d+)?\/?(\?.*)?$/, "must look like smtp://user:password@mail.example.org:587 (or smtps://…:465)")
      .optional(),
  ),
  CLOUDPORT_MAIL_FROM: z.preprocess(blank, z.string().trim().default("Cloudport <cloudport@localhost>")),
  CLOUDPORT_MAIL_STAFF: text(),
  CLOUDPORT_ENFORCEMENT_TICK_MS: count(60_000),
});

export type Env = z.output<typeof envSchema>;
const KEYS = Object.keys(envSchema.shape) as Array<keyof Env>;
const SECRET_KEYS = new Set<keyof Env>(["DATABASE_URL", "CLOUDPORT_SECRET_KEY", "AUTH_SECRET", "CLOUDPORT_ADMIN_PASSWORD", "AUTH_OIDC_SECRET", "CLOUDPORT_SMTP_URL"]);

/** Parses an environment; a bad value throws one message naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const picked = Object.fromEntries(KEYS.map((k) => [k, source[k]]));
  const parsed = envSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const key = i.path[0] as keyof Env;
    // Secrets (and URLs that may carry a password) are never echoed back.
    const shown = SECRET_KEYS.has(key) ? "" : ` (it is "${String(picked[key] ?? "")}")`;
    return `${i.path.join(".")} ${i.message}${shown}`;
  });
  throw new Error(`Check the environment: ${problems.join("; ")}.`);
}

let cached: { key: string; value: Env } | undefined;

/**
 * The parsed environment of this process: parsed once, and again only if one of its
 * variables changed (tests set some before they open a database).
 */
export function env(): Env {
  const key = KEYS.map((k) => process.env[k] ?? "\u0000").join("\u0001");
  if (cached?.key !== key) cached = { key, value: parseEnv(process.env) };
  return cached.value;
}
