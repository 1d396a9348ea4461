import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { jobs } from "@/lib/db/schema";
import { testDb, truncateAll } from "@/test/db";
import { cancelJob, claimNextJob, enqueueJob, getJob, recoverStaleJobs } from "./queue";
import { registerJobHandler, runJob } from "./runner";

describe("job queue", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("gives concurrent workers different jobs, never the same one twice", async () => {
    for (let i = 0; i < 6; i++) await enqueueJob(db, { kind: "test.noop", params: { i } });
    const claims = await Promise.all(Array.from({ length: 10 }, (_, w) => claimNextJob(db, `w${w}`, ["test.noop"])));
    const ids = claims.filter(Boolean).map((j) => j!.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(await claimNextJob(db, "late", ["test.noop"])).toBeUndefined();
    const rows = await db.select().from(jobs);
    expect(rows.every((r) => r.state === "running" && r.attempts === 1 && r.startedAt)).toBe(true);
  });

  it("does not queue a second job with the same dedupe key while one is live", async () => {
    const a = await enqueueJob(db, { kind: "test.noop", dedupeKey: "import:sizes:1" });
    const b = await enqueueJob(db, { kind: "test.noop", dedupeKey: "import:sizes:1" });
    expect(a.created).toBe(true);
    expect(b).toEqual({ job: a.job, created: false });
    await db.update(jobs).set({ state: "succeeded" }).where(eq(jobs.id, a.job.id));
    expect((await enqueueJob(db, { kind: "test.noop", dedupeKey: "import:sizes:1" })).created).toBe(true);
  });

  it("leaves jobs for later and kinds it cannot run alone", async () => {
    await enqueueJob(db, { kind: "test.noop", runAfter: new Date(Date.now() + 60_000) });
    await enqueueJob(db, { kind: "other.kind" });
    expect(await claimNextJob(db, "w", ["test.noop"])).toBeUndefined();
  });

  it("re-queues a job whose worker died, and fails it when attempts run out", async () => {
    const { job } = await enqueueJob(db, { kind: "test.noop", maxAttempts: 2 });
    await claimNextJob(db, "dead-worker", ["test.noop"]);
    await db.update(jobs).set({ lockedAt: new Date(Date.now() - 120_000) }).where(eq(jobs.id, job.id));
    expect(await recoverStaleJobs(db, 60_000)).toEqual({ requeued: 1, failed: 0 });
    expect((await getJob(db, job.id))?.state).toBe("queued");

    await claimNextJob(db, "dead-again", ["test.noop"]);
    await db.update(jobs).set({ lockedAt: new Date(Date.now() - 120_000) }).where(eq(jobs.id, job.id));
    expect(await recoverStaleJobs(db, 60_000)).toEqual({ requeued: 0, failed: 1 });
    const failed = await getJob(db, job.id);
    expect(failed).toMatchObject({ state: "failed", attempts: 2 });
    expect(failed?.error).toMatch(/Interrupted/);
  });

  it("runs a handler: stores progress, the result, or the (redacted) error", async () => {
    registerJobHandler("test.ok", async ({ progress }) => {
      await progress({ progress: 0.5, progressText: "half", counts: { added: 2 } });
      return { done: true };
    });
    registerJobHandler("test.fail", async () => {
      throw new Error("Keystone refused password=hunter2");
    });
    const ok = (await enqueueJob(db, { kind: "test.ok" })).job;
    const bad = (await enqueueJob(db, { kind: "test.fail" })).job;
    for (const j of [ok, bad]) {
      const claimed = await claimNextJob(db, "w", ["test.ok", "test.fail"]);
      await runJob(db, claimed!, "w", 1000);
    }
    expect(await getJob(db, ok.id)).toMatchObject({ state: "succeeded", progress: 1, progressText: "half", counts: { added: 2 }, result: { done: true } });
    const failed = await getJob(db, bad.id);
    expect(failed?.state).toBe("failed");
    expect(failed?.error).toContain("Keystone refused");
    expect(failed?.error).not.toContain("hunter2");
  });

  it("stops a running handler when the job is cancelled", async () => {
    let sawAbort = false;
    registerJobHandler("test.slow", async ({ signal }) => {
      await new Promise<void>((resolve) => {
        signal.addEventListener("abort", () => {
          sawAbort = true;
          resolve();
        });
      });
    });
    const { job } = await enqueueJob(db, { kind: "test.slow" });
    const claimed = await claimNextJob(db, "w", ["test.slow"]);
    const run = runJob(db, claimed!, "w", 50);
    expect(await cancelJob(db, job.id)).toBe(true);
    await run;
    expect(sawAbort).toBe(true);
    expect((await getJob(db, job.id))?.state).toBe("cancelled");
  });
});
