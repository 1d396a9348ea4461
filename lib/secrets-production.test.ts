import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// A production start without CLOUDPORT_SECRET_KEY is refused whatever the database: with
// DATABASE_URL, with the embedded one, before anything is opened or generated.
describe("production keys", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cptest-harden-"));
    vi.resetModules();
    vi.stubEnv("CLOUDPORT_DATA_DIR", path.join(dir, "data"));
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("NEXT_PHASE", "");
    vi.stubEnv("CLOUDPORT_SECRET_KEY", "");
    vi.stubEnv("AUTH_SECRET", "a-test-auth-secret");
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["the embedded database", ""],
    ["PostgreSQL", "postgres://postgres@127.0.0.1:1/nowhere"],
  ])("secretKey() refuses to generate a key with %s", async (_, url) => {
    vi.stubEnv("DATABASE_URL", url);
    const { secretKey } = await import("./secrets");
    expect(() => secretKey()).toThrow(/CLOUDPORT_SECRET_KEY is required in production/);
    expect(fs.existsSync(path.join(dir, "data", "secret.key"))).toBe(false);
  });

  it.each([
    ["the embedded database", ""],
    ["PostgreSQL", "postgres://postgres@127.0.0.1:1/nowhere"],
  ])("startup() refuses before opening %s", async (_, url) => {
    vi.stubEnv("DATABASE_URL", url);
    const { startup } = await import("./startup");
    await expect(startup()).rejects.toThrow(/CLOUDPORT_SECRET_KEY is required in production/);
    // Nothing was created: the embedded database would have made the data directory.
    expect(fs.existsSync(path.join(dir, "data"))).toBe(false);
  });

  it("productionSecretsProblem names what is missing, and nothing outside production or during the build", async () => {
    const { productionSecretsProblem } = await import("./secrets");
    expect(productionSecretsProblem({ NODE_ENV: "production" })).toMatch(/CLOUDPORT_SECRET_KEY and AUTH_SECRET are required/);
    expect(productionSecretsProblem({ NODE_ENV: "production", AUTH_SECRET: "x" })).toMatch(/^CLOUDPORT_SECRET_KEY is required/);
    expect(productionSecretsProblem({ NODE_ENV: "production", AUTH_SECRET: "x", CLOUDPORT_SECRET_KEY: "k" })).toBeNull();
    expect(productionSecretsProblem({ NODE_ENV: "development" })).toBeNull();
    expect(productionSecretsProblem({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).toBeNull();
  });

  it("outside production the key is generated into a 0700 data directory, 0600 file", async () => {
    vi.stubEnv("NODE_ENV", "development");
    const { secretKey } = await import("./secrets");
    expect(secretKey()).toHaveLength(32);
    expect(fs.statSync(path.join(dir, "data")).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, "data", "secret.key")).mode & 0o777).toBe(0o600);
  });
});
