import { describe, expect, it } from "vitest";
import { env, envSchema, parseEnv } from "./env";

describe("parseEnv", () => {
  it("gives the documented defaults for an empty environment", () => {
    expect(parseEnv({})).toMatchObject({
      DATABASE_POOL_SIZE: 10,
      NEXT_DIST_DIR: ".next",
      CLOUDPORT_WORKER: "1",
      CLOUDPORT_WORKER_CONCURRENCY: 2,
      CLOUDPORT_SCHEDULER_TICK_MS: 30_000,
      CLOUDPORT_LAUNCH_SWEEP_MS: 60_000,
      CLOUDPORT_ACCOUNT_CONCURRENCY: 4,
      CLOUDPORT_LAUNCH_BOOT_TIMEOUT_MS: undefined,
      DATABASE_URL: undefined,
    });
  });
  it("parses numbers and treats blank values as unset", () => {
    const e = parseEnv({ CLOUDPORT_ACCOUNT_CONCURRENCY: "8", CLOUDPORT_LAUNCH_POLL_MS: "250", DATABASE_URL: "  ", CLOUDPORT_WORKER: "0" });
    expect(e).toMatchObject({ CLOUDPORT_ACCOUNT_CONCURRENCY: 8, CLOUDPORT_LAUNCH_POLL_MS: 250, DATABASE_URL: undefined, CLOUDPORT_WORKER: "0" });
  });
  it.each([
    [{ CLOUDPORT_ACCOUNT_CONCURRENCY: "four" }, /CLOUDPORT_ACCOUNT_CONCURRENCY must be a number \(it is "four"\)/],
    [{ CLOUDPORT_WORKER_CONCURRENCY: "0" }, /CLOUDPORT_WORKER_CONCURRENCY must be at least 1/],
    [{ DATABASE_POOL_SIZE: "2.5" }, /DATABASE_POOL_SIZE must be a whole number/],
    [{ CLOUDPORT_WORKER: "off" }, /CLOUDPORT_WORKER must be "0" \(off\) or "1" \(on\)/],
    [{ CLOUDPORT_LAUNCH_BOOT_TIMEOUT_MS: "-5" }, /CLOUDPORT_LAUNCH_BOOT_TIMEOUT_MS must be positive/],
  ])("refuses %o, naming the variable", (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });
  it("checks the SMTP URL without echoing it (it carries the mail password)", () => {
    expect(parseEnv({ CLOUDPORT_SMTP_URL: "smtp://u:p4ss@mail.example.org:587" }).CLOUDPORT_SMTP_URL).toBe("smtp://u:p4ss@mail.example.org:587");
    expect(parseEnv({}).CLOUDPORT_MAIL_FROM).toBe("Cloudport <cloudport@localhost>");
    let message = "";
    try {
      parseEnv({ CLOUDPORT_SMTP_URL: "http://u:s3cr3t-pw@mail.example.org" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/CLOUDPORT_SMTP_URL must look like smtp:\/\//);
    expect(message).not.toContain("s3cr3t-pw");
  });
  it("reads process.env, again only when a variable changed", () => {
    const before = process.env.CLOUDPORT_ACCOUNT_CONCURRENCY;
    try {
      process.env.CLOUDPORT_ACCOUNT_CONCURRENCY = "3";
      const a = env();
      expect(a.CLOUDPORT_ACCOUNT_CONCURRENCY).toBe(3);
      expect(env()).toBe(a);
      process.env.CLOUDPORT_ACCOUNT_CONCURRENCY = "5";
      expect(env().CLOUDPORT_ACCOUNT_CONCURRENCY).toBe(5);
    } finally {
      if (before === undefined) delete process.env.CLOUDPORT_ACCOUNT_CONCURRENCY;
      else process.env.CLOUDPORT_ACCOUNT_CONCURRENCY = before;
    }
  });
});

describe("the README's configuration table", () => {
  it("documents every variable lib/env.ts reads", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const table = readme.split("\n").filter((l) => l.startsWith("| `"));
    const missing = Object.keys(envSchema.shape).filter((k) => !table.some((row) => row.split("|")[1].includes(`\`${k}\``)));
    expect(missing).toEqual([]);
  });
});
