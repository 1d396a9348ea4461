import { and, eq, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, launchTests } from "@/lib/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import { redactSecrets } from "@/lib/redact";
import { JOB_KINDS } from "./service";
import type { CreatedResources, LaunchReport, Step } from "./types";

// Finishes launch runs nobody will finish: their job ended (failed after its attempts, cancelled
// while its worker died, or gone) but the run still says queued/running. The run is failed with
// the reason, and a launch.cleanup job removes what it may have left on the cloud.

export type SweepOptions = {
  /**
   * A cancelled job's handler keeps running to clean up (server deletion can take minutes)
   * without heart-beating; its run is only swept when the cancel is this old. Default 15 min.
   */
  cancelledGraceMs?: number;
  /** Failed/finished jobs: how long after they ended. Default 1 min. */
  endedGraceMs?: number;
};

export const SWEEP_ERROR = "The job running this test ended without finishing it (its server stopped, or it was stopped and its server stopped too).";

function hasAnything(r: CreatedResources | undefined): boolean {
  return Boolean(r && (r.serverId || r.bootRequested || r.floatingIpId || r.floatingIpRequested || r.keypairName || r.volumeId || r.volumeRequested));
}

/** Fails abandoned runs and queues their clean-up; returns the ids swept. */
export async function sweepAbandonedRuns(db: Db, options: SweepOptions = {}): Promise<number[]> {
  const now = Date.now();
  const cancelledCutoff = new Date(now - (options.cancelledGraceMs ?? 15 * 60_000));
  const endedCutoff = new Date(now - (options.endedGraceMs ?? 60_000));
  const candidates = await db
    .select({ id: launchTests.id, jobState: jobs.state })
    .from(launchTests)
    .leftJoin(jobs, eq(jobs.id, launchTests.jobId))
    .where(
      and(
        inArray(launchTests.state, ["queued", "running"]),
        or(
          // The job row was deleted (job_id set null) — only once the run is old enough.
          and(isNull(jobs.id), lt(launchTests.startedAt, endedCutoff)),
          and(eq(jobs.state, "cancelled"), sql`coalesce(${jobs.finishedAt}, ${jobs.createdAt}) < ${cancelledCutoff.toISOString()}::timestamptz`),
          and(notInArray(jobs.state, ["queued", "running", "cancelled"]), sql`coalesce(${jobs.finishedAt}, ${jobs.createdAt}) < ${endedCutoff.toISOString()}::timestamptz`),
        ),
      ),
    )
    .limit(100);

  const swept: number[] = [];
  for (const c of candidates) {
    try {
      if (await sweepOne(db, c.id, c.jobState)) swept.push(c.id);
    } catch (error) {
      console.error(`[launch] could not sweep run ${c.id}: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
  }
  return swept;
}

async function sweepOne(db: Db, id: number, jobState: string | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Locked and re-checked: another instance may be sweeping it, or its job just finished it.
    const [run] = await tx
      .select()
      .from(launchTests)
      .where(and(eq(launchTests.id, id), inArray(launchTests.state, ["queued", "running"])))
      .for("update", { skipLocked: true });
    if (!run) return false;
    const finishedAt = new Date();
    const at = finishedAt.toISOString();
    const why = jobState === "cancelled" ? "Stopped, but the server running it stopped before it finished." : "Interrupted: the server running the test stopped, and its job has no attempts left.";
    const timeline = ((run.timeline ?? []) as Step[]).map((s) => (s.status === "running" ? { ...s, status: "fail" as const, endedAt: at, message: why } : s));
    const report = { ...((run.report ?? {}) as LaunchReport) };
    const cleanupNeeded = hasAnything(report.resources) && report.cleanup?.state !== "done";
    let jobId = run.jobId;
    let result: string;
    if (cleanupNeeded) {
      const { job } = await enqueueJob(tx as unknown as Db, {
        kind: JOB_KINDS.cleanup,
        providerId: run.providerId,
        params: { launchTestId: run.id, swept: true },
        dedupeKey: `launch-run:${run.id}`,
        maxAttempts: 2,
      });
      jobId = job.id;
      report.cleanup = { state: "running", message: "Cleaning up what the interrupted run left." };
      result = "Interrupted · clean-up queued";
    } else {
      report.cleanup = report.cleanup ?? { state: "not_needed" };
      result = "Interrupted · nothing to clean up";
    }
    await tx
      .update(launchTests)
      .set({
        state: "failed",
        error: `${SWEEP_ERROR} ${why}`,
        result,
        finishedAt,
        durationMs: Math.max(0, finishedAt.getTime() - run.startedAt.getTime()),
        timeline,
        report,
        jobId,
      })
      .where(eq(launchTests.id, run.id));
    return true;
  });
}

/** Sweeps periodically in this process; returns a stop function. Safe on several instances. */
export function startLaunchSweeper(getDb: () => Promise<Db>, options: SweepOptions & { tickMs?: number } = {}): () => void {
  const tickMs = options.tickMs ?? 60_000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      const swept = await sweepAbandonedRuns(await getDb(), options);
      if (swept.length) console.warn(`[launch] failed ${swept.length} abandoned run(s): ${swept.join(", ")}`);
    } catch (error) {
      console.error(`[launch] sweep failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
  };
  timer = setTimeout(tick, Math.min(tickMs, 10_000));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
