import { describe, expect, it } from "vitest";
import { isFinalPollError, jobPollInterval, PollError, runPollInterval } from "./polling";

describe("polling", () => {
  it("polls a job while it is queued or running, and stops when it ends", () => {
    expect(jobPollInterval(undefined, null)).toBe(1000);
    expect(jobPollInterval({ state: "queued" }, null)).toBe(1000);
    expect(jobPollInterval({ state: "running" }, null)).toBe(1000);
    for (const state of ["succeeded", "failed", "cancelled"]) expect(jobPollInterval({ state }, null)).toBe(false);
  });

  it("stops polling a job that cannot be read, instead of asking every second for good", () => {
    expect(jobPollInterval(undefined, new PollError("No such job.", 404))).toBe(false);
    expect(jobPollInterval({ state: "running" }, new PollError("Sign in first.", 401))).toBe(false);
    // A hiccup (server restarting) while the job runs: keep following it.
    expect(jobPollInterval({ state: "running" }, new PollError("HTTP 502", 502))).toBe(1000);
    expect(jobPollInterval({ state: "running" }, new TypeError("Failed to fetch"))).toBe(1000);
    expect(isFinalPollError(new PollError("slow down", 429))).toBe(false);
  });

  const run = (state: string, jobState: string | null, cleanup?: string) => ({ state, jobState, report: cleanup ? { cleanup: { state: cleanup } } : {} });

  it("follows a run and its clean-up, and stops when both are over", () => {
    expect(runPollInterval(run("queued", "queued"), null)).toBe(1000);
    expect(runPollInterval(run("running", "running"), null)).toBe(1000);
    expect(runPollInterval(run("passed", "succeeded", "done"), null)).toBe(false);
    expect(runPollInterval(run("passed", "queued", "running"), null)).toBe(1000);
    // Stopping: the job is cancelled but the handler is still cleaning up.
    expect(runPollInterval(run("running", "cancelled"), null)).toBe(1000);
  });

  it("stops when the run's job has ended even though the run still looks live", () => {
    // The clean-up job failed before it could update the run.
    expect(runPollInterval(run("passed", "failed", "running"), null)).toBe(false);
    // The worker died for good: the job was failed by stale recovery, the run row never finished.
    expect(runPollInterval(run("running", "failed"), null)).toBe(false);
    expect(runPollInterval(run("running", "running"), new PollError("No such launch test.", 404))).toBe(false);
  });
});
