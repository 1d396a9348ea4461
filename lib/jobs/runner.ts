import crypto from "node:crypto";
import os from "node:os";
import type { Db } from "@/lib/db/client";
import type { Job } from "@/lib/db/schema";
import { redactSecrets } from "@/lib/redact";
import { jobErrorMessage } from "./error-message";
import { claimNextJob, finishJob, heartbeat, recoverStaleJobs, updateJobProgress, type ProgressUpdate } from "./queue";

export type JobContext = {
  job: Job;
  db: Db;
  /** Stores progress (0..1), a line of text and counts; also serves as a heartbeat. */
  progress: (update: ProgressUpdate) => Promise<void>;
  /** Aborted when the job is cancelled or taken away from this worker. */
  signal: AbortSignal;
};
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

const handlers = new Map<string, JobHandler>();

/** Makes a job kind runnable by this process's worker. */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

export type WorkerOptions = {
  /** Jobs of any kind at once (the background lane). */
  concurrency?: number;
  /**
   * Extra slots only for jobs a person started (the interactive lane), so a button press starts
   * within one poll even while scheduled imports fill the background lane.
   */
  interactiveConcurrency?: number;
  pollMs?: number;
  heartbeatMs?: number;
  /** A running job not heart-beaten for this long is considered abandoned. */
  staleMs?: number;
  workerId?: string;
};

/** Runs one claimed job to completion, with heartbeats; exported for tests. */
export async function runJob(db: Db, job: Job, workerId: string, heartbeatMs: number): Promise<void> {
  const handler = handlers.get(job.kind);
  if (!handler) {
    await finishJob(db, job.id, { state: "failed", error: `No handler for job kind "${job.kind}" in this version of Cloudport.` });
    return;
  }
  const controller = new AbortController();
  const beat = setInterval(() => {
    heartbeat(db, job.id, workerId)
      .then((alive) => {
        if (!alive) controller.abort(new Error("The job was cancelled."));
      })
      .catch(() => {});
  }, heartbeatMs);
  try {
    const result = await handler({
      job,
      db,
      signal: controller.signal,
      progress: async (update) => {
        if (controller.signal.aborted) throw controller.signal.reason;
        await updateJobProgress(db, job.id, update);
      },
    });
    if (!controller.signal.aborted) await finishJob(db, job.id, { state: "succeeded", result: result ?? undefined });
  } catch (error) {
    if (controller.signal.aborted) return; // cancelled: its state was set by whoever cancelled it
    await finishJob(db, job.id, { state: "failed", error: jobErrorMessage(error, job.kind) });
  } finally {
    clearInterval(beat);
  }
}

/** Starts polling for jobs in this process; returns a stop function that waits for running jobs. */
export function startWorker(getDb: () => Promise<Db>, options: WorkerOptions = {}): () => Promise<void> {
  const concurrency = options.concurrency ?? 2;
  const interactiveConcurrency = options.interactiveConcurrency ?? 2;
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const staleMs = options.staleMs ?? 60_000;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const running = new Set<Promise<void>>();
  const interactive = new Set<Promise<void>>();
  let stopped = false;
  let lastRecovery = 0;

  const tick = async () => {
    if (stopped) return;
    try {
      const db = await getDb();
      if (Date.now() - lastRecovery > staleMs / 2) {
        lastRecovery = Date.now();
        await recoverStaleJobs(db, staleMs);
      }
      const kinds = [...handlers.keys()];
      // The interactive lane first: a person's job never waits behind scheduled work.
      while (!stopped && interactive.size < interactiveConcurrency) {
        const job = await claimNextJob(db, workerId, kinds, { interactiveOnly: true });
        if (!job) break;
        const p = runJob(db, job, workerId, heartbeatMs).finally(() => interactive.delete(p));
        interactive.add(p);
      }
      while (!stopped && running.size < concurrency) {
        const job = await claimNextJob(db, workerId, kinds);
        if (!job) break;
        const p = runJob(db, job, workerId, heartbeatMs).finally(() => running.delete(p));
        running.add(p);
      }
    } catch (error) {
      console.error(`[jobs] worker tick failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    if (!stopped) timer = setTimeout(tick, pollMs);
  };
  let timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await Promise.allSettled([...running, ...interactive]);
  };
}
