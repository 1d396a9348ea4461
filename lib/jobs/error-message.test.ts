import { describe, expect, it, vi } from "vitest";
import { jobErrorMessage } from "./error-message";

describe("a failed job's message", () => {
  it("says the database's reason, not the statement and its values, with a log reference", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const cause = new Error("unsupported Unicode escape sequence");
    const error = Object.assign(new Error(`Failed query: insert into "machines" ... \nparams: ${"x".repeat(300_000)}`), { cause });
    const message = jobErrorMessage(error, "import.machines");
    expect(message).toMatch(/^The database refused a write: unsupported Unicode escape sequence \(server log ref [0-9a-f]{8}\)\.$/);
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it("keeps other reasons, redacted and short", () => {
    expect(jobErrorMessage(new Error("Keystone answered 401"))).toBe("Keystone answered 401");
    expect(jobErrorMessage(new Error("password=hunter2 was refused"))).not.toContain("hunter2");
    expect(jobErrorMessage(new Error("y".repeat(5000))).length).toBe(1000);
  });
});
