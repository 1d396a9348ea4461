import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { identities, machines, providers, providerSecrets, sizes, type Job } from "@/lib/db/schema";
import { claimNextJob, finishJob } from "@/lib/jobs/queue";
import type { JobContext } from "@/lib/jobs/runner";
import { encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { runCleanupJob, runLaunchJob } from "./jobs";
import { getLaunchRun, updateLaunchRun } from "./queries";
import { startRunSchema } from "./schemas";
import { requestCleanup, startLaunchRun } from "./service";

describe("launch-test jobs", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  // Nothing listens on port 9: sign-in fails at once, no cloud needed.
  async function queuedRun(authUrl = "http://127.0.0.1:9/v3") {
    const op = await makeUser(db, { username: "operator", isStaff: true });
    const alice = await makeUser(db, { username: "alice" });
    const [p] = await db.insert(providers).values({ name: "nowhere", authUrl, networkName: "public" }).returning();
    await db.insert(providerSecrets).values({ providerId: p.id, credentialSecret: encryptSecret("x"), accountSecret: encryptSecret("y".repeat(40)) });
    const [a] = await db.insert(identities).values({ userId: alice.id, providerId: p.id, projectName: "alice", state: "active", networkId: "n" }).returning();
    await db.insert(machines).values({ providerId: p.id, imageId: "img", name: "cirros" });
    await db.insert(sizes).values({ providerId: p.id, flavorId: "f", name: "m1.nano", vcpus: 1, ramMb: 128, diskGb: 1 });
    const started = await startLaunchRun(db, op.id, startRunSchema.parse({ providerId: p.id, identityId: a.id, imageId: "img", flavorId: "f", networkId: "n" }));
    const job = (await claimNextJob(db, "w", ["launch.test"]))!;
    return { ...started, job };
  }

  const ctx = (job: Job): JobContext => ({ job, db, progress: async () => {}, signal: new AbortController().signal });

  it("records a sign-in failure as a failed run with Keystone unreachable, nothing to clean up", async () => {
    const { id, job } = await queuedRun();
    await runLaunchJob(ctx(job));
    const run = await getLaunchRun(db, id);
    expect(run).toMatchObject({ state: "failed", report: { cleanup: { state: "not_needed" } } });
    expect(run?.result).toMatch(/^Failed at “Sign in as alice \(project alice\)”: .* · nothing to clean up$/);
    expect(run?.timeline[0]).toMatchObject({ status: "fail", group: "setup" });
    expect(run?.durationMs).toBeGreaterThanOrEqual(0);
    expect(run?.finishedAt).toBeInstanceOf(Date);
  });

  it("after a crash, a second attempt does not boot again: it cleans up and fails the run", async () => {
    const { id, job } = await queuedRun();
    await updateLaunchRun(db, id, {
      state: "running",
      timeline: [{ id: "auth#1", group: "setup", label: "Sign in", status: "pass", startedAt: new Date().toISOString(), endedAt: new Date().toISOString() }, { id: "server#2", group: "server", label: "BUILD · spawning", status: "running", startedAt: new Date().toISOString(), endedAt: null }],
      report: { resources: {} },
    });
    await runLaunchJob(ctx({ ...job, attempts: 2 }));
    const run = await getLaunchRun(db, id);
    expect(run?.state).toBe("failed");
    expect(run?.error).toMatch(/^Interrupted/);
    expect(run?.timeline.find((s) => s.id === "server#2")).toMatchObject({ status: "fail", message: expect.stringContaining("Interrupted") });
    expect(run?.timeline.some((s) => s.id.startsWith("boot"))).toBe(false);
  });

  it("a clean-up that cannot even start says so, instead of staying 'running' for good", async () => {
    const { id, job } = await queuedRun();
    await updateLaunchRun(db, id, { state: "passed", report: { cleanup: { state: "pending" }, resources: { serverId: "s1", serverName: "cloudport-lt-1" } } });
    // The run has its outcome but its job has not ended yet: no clean-up can be queued behind it.
    await expect(requestCleanup(db, null, id)).rejects.toMatchObject({ code: "conflict" });
    expect((await getLaunchRun(db, id))?.report.cleanup?.state).toBe("pending");
    await finishJob(db, job.id, { state: "succeeded" });
    const { jobId } = await requestCleanup(db, null, id);
    expect((await getLaunchRun(db, id))?.report.cleanup?.state).toBe("running");
    await db.delete(providerSecrets).where(eq(providerSecrets.providerId, job.providerId!));
    const cleanup = (await claimNextJob(db, "w", ["launch.cleanup"]))!;
    expect(cleanup.id).toBe(jobId);
    await expect(runCleanupJob(ctx(cleanup))).rejects.toThrow(/has no stored credentials/);
    const run = await getLaunchRun(db, id);
    expect(run?.report.cleanup).toMatchObject({ state: "partial", leftBehind: ["server cloudport-lt-1 (s1)"], message: expect.stringContaining("Could not start the clean-up") });
  });
});
