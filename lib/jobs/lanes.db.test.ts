import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testDb, makeUser, truncateAll } from "@/test/db";
import { claimNextJob, enqueueJob, getJob, waitingReason } from "./queue";
import { registerJobHandler, startWorker } from "./runner";

// A person's job must start at once even while scheduled work fills the worker (issue 16 §5).
describe("worker lanes", async () => {
  const db = await testDb();
  let release: () => void = () => {};
  let gate = new Promise<void>((r) => (release = r));
  let stop: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    await truncateAll(db);
    gate = new Promise<void>((r) => (release = r));
    registerJobHandler("test.lanes.slow", () => gate);
    registerJobHandler("test.lanes.quick", async () => "done");
  });
  afterEach(async () => {
    release();
    await stop?.();
    stop = undefined;
  });

  it("claims a person's job before older scheduled ones, and only people's jobs in the interactive lane", async () => {
    const person = await makeUser(db, { username: "op", isStaff: true });
    await enqueueJob(db, { kind: "test.lanes.slow", runAfter: new Date(Date.now() - 60_000) });
    const mine = await enqueueJob(db, { kind: "test.lanes.quick", createdBy: person.id });
    expect((await claimNextJob(db, "w", ["test.lanes.slow", "test.lanes.quick"]))?.id).toBe(mine.job.id);
    expect(await claimNextJob(db, "w", ["test.lanes.slow", "test.lanes.quick"], { interactiveOnly: true })).toBeUndefined();
  });

  it("starts a person's job within 2 s while scheduled jobs take every background slot, and says why the scheduled one waits", async () => {
    const person = await makeUser(db, { username: "op", isStaff: true });
    const scheduled: Array<{ id: string }> = [];
    for (let i = 0; i < 3; i++) scheduled.push((await enqueueJob(db, { kind: "test.lanes.slow" })).job);
    stop = startWorker(async () => db, { concurrency: 2, interactiveConcurrency: 1, pollMs: 200, heartbeatMs: 1000 });
    await expect.poll(async () => (await getJob(db, scheduled[1].id))?.state, { timeout: 5000, interval: 100 }).toBe("running");
    expect((await getJob(db, scheduled[2].id))?.state).toBe("queued");

    const pressed = Date.now();
    const { job } = await enqueueJob(db, { kind: "test.lanes.quick", createdBy: person.id });
    await expect.poll(async () => (await getJob(db, job.id))?.state, { timeout: 2000, interval: 50 }).toBe("succeeded");
    const done = (await getJob(db, job.id))!;
    expect(done.startedAt!.getTime() - pressed).toBeLessThan(2000);

    // The third scheduled job still waits, and the page can say why.
    const waiting = (await getJob(db, scheduled[2].id))!;
    expect(waiting.state).toBe("queued");
    expect(await waitingReason(db, waiting)).toBe("Waiting for a free worker: 2 jobs running. Scheduled work waits for jobs people start.");
    release();
    await expect.poll(async () => (await getJob(db, scheduled[2].id))?.state, { timeout: 5000, interval: 100 }).toBe("succeeded");
  });
});
