import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { identities, jobs, machines, providers, providerSecrets, sizes } from "@/lib/db/schema";
import { cancelJob, claimNextJob, getJob } from "@/lib/jobs/queue";
import { encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { runCleanupJob } from "./jobs";
import { getLaunchRun, updateLaunchRun } from "./queries";
import { startRunSchema } from "./schemas";
import { startLaunchRun } from "./service";
import { sweepAbandonedRuns } from "./sweeper";

describe("launch-run sweeper", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  // Nothing listens on port 9: a clean-up's sign-in fails at once, no cloud needed.
  async function runningRun(resources: Record<string, unknown>) {
    const op = await makeUser(db, { username: "operator", isStaff: true });
    const alice = await makeUser(db, { username: "alice" });
    const [p] = await db.insert(providers).values({ name: "nowhere", authUrl: "http://127.0.0.1:9/v3", networkName: "public" }).returning();
    await db.insert(providerSecrets).values({ providerId: p.id, credentialSecret: encryptSecret("x"), accountSecret: encryptSecret("y".repeat(40)) });
    const [a] = await db.insert(identities).values({ userId: alice.id, providerId: p.id, projectName: "alice", state: "active", networkId: "n" }).returning();
    await db.insert(machines).values({ providerId: p.id, imageId: "img", name: "cirros" });
    await db.insert(sizes).values({ providerId: p.id, flavorId: "f", name: "m1.nano", vcpus: 1, ramMb: 128, diskGb: 1 });
    const started = await startLaunchRun(db, op.id, startRunSchema.parse({ providerId: p.id, identityId: a.id, imageId: "img", flavorId: "f", networkId: "n" }));
    const job = (await claimNextJob(db, "w", ["launch.test"]))!;
    const t = new Date().toISOString();
    await updateLaunchRun(db, started.id, {
      state: "running",
      timeline: [
        { id: "auth#1", group: "setup", label: "Sign in", status: "pass", startedAt: t, endedAt: t },
        { id: "fip.allocate#2", group: "network", label: "Allocate a floating IP", status: "running", startedAt: t, endedAt: null },
      ],
      report: { resources },
    });
    return { ...started, job };
  }
  const endJob = (id: string, state: "failed" | "succeeded", agoMs: number) => db.update(jobs).set({ state, finishedAt: new Date(Date.now() - agoMs), lockedBy: null, lockedAt: null }).where(eq(jobs.id, id));

  it("fails a run whose job failed for good and queues a clean-up that looks for what it may have left", async () => {
    const { id, job } = await runningRun({ serverId: "s1", serverName: "cloudport-lt-1", floatingIpRequested: true });
    expect(await sweepAbandonedRuns(db)).toEqual([]); // its job is still running
    await endJob(job.id, "failed", 120_000);
    expect(await sweepAbandonedRuns(db)).toEqual([id]);
    const run = (await getLaunchRun(db, id))!;
    expect(run).toMatchObject({ state: "failed", result: "Interrupted · clean-up queued", report: { cleanup: { state: "running" } } });
    expect(run.error).toMatch(/ended without finishing it/);
    expect(run.finishedAt).toBeInstanceOf(Date);
    expect(run.timeline.find((s) => s.id === "fip.allocate#2")).toMatchObject({ status: "fail", message: expect.stringContaining("Interrupted") });
    expect(run.jobId).not.toBe(job.id);
    const cleanup = await getJob(db, run.jobId!);
    expect(cleanup).toMatchObject({ kind: "launch.cleanup", state: "queued", params: { launchTestId: id } });
    expect(await sweepAbandonedRuns(db)).toEqual([]); // once only

    // The clean-up job runs (and here cannot sign in): the run says what may be left.
    const claimed = (await claimNextJob(db, "w", ["launch.cleanup"]))!;
    expect(claimed.id).toBe(cleanup!.id);
    await runCleanupJob({ job: claimed, db, progress: async () => {}, signal: new AbortController().signal });
    const after = (await getLaunchRun(db, id))!;
    expect(after.state).toBe("failed");
    expect(after.report.cleanup?.state).toBe("partial");
    expect(after.report.cleanup?.leftBehind).toEqual(["server cloudport-lt-1 (s1)", "a floating IP of this run may exist"]);
  });

  it("gives a cancelled run's own clean-up time before sweeping it, and queues nothing when nothing was made", async () => {
    const { id, job } = await runningRun({});
    expect(await cancelJob(db, job.id)).toBe(true);
    expect(await sweepAbandonedRuns(db)).toEqual([]); // its worker may still be cleaning up
    expect((await getLaunchRun(db, id))?.state).toBe("running");
    expect(await sweepAbandonedRuns(db, { cancelledGraceMs: 0 })).toEqual([id]);
    const run = (await getLaunchRun(db, id))!;
    expect(run).toMatchObject({ state: "failed", result: "Interrupted · nothing to clean up", report: { cleanup: { state: "not_needed" } }, jobId: job.id });
    expect(run.error).toMatch(/stopped before it finished/);
    expect(await db.select().from(jobs).where(eq(jobs.kind, "launch.cleanup"))).toEqual([]);
  });

  it("leaves runs whose job just ended alone (their handler stores the outcome)", async () => {
    const { id, job } = await runningRun({ serverId: "s1" });
    await endJob(job.id, "succeeded", 5);
    expect(await sweepAbandonedRuns(db)).toEqual([]);
    expect(await sweepAbandonedRuns(db, { endedGraceMs: 0 })).toEqual([id]);
  });
});
