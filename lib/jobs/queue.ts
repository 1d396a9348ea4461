import { and, desc, eq, inArray, isNotNull, lt, lte, sql } from "drizzle-orm";
import { rowsOf } from "@/lib/db/rows";
import type { Db } from "@/lib/db/client";
import { jobs, type Job } from "@/lib/db/schema";

export type EnqueueInput = {
  kind: string;
  providerId?: number | null;
  params?: Record<string, unknown>;
  createdBy?: number | null;
  runAfter?: Date;
  maxAttempts?: number;
  /** Jobs with the same key are never queued or running twice; the live one is returned instead. */
  dedupeKey?: string;
};

/** Queues a job, or returns the live job with the same dedupe key. */
export async function enqueueJob(db: Db, input: EnqueueInput): Promise<{ job: Job; created: boolean }> {
  const values = {
    kind: input.kind,
    providerId: input.providerId ?? null,
    params: input.params ?? {},
    createdBy: input.createdBy ?? null,
    runAfter: input.runAfter ?? new Date(),
    maxAttempts: input.maxAttempts ?? 3,
    dedupeKey: input.dedupeKey ?? null,
  };
  const [created] = await db.insert(jobs).values(values).onConflictDoNothing().returning();
  if (created) return { job: created, created: true };
  const [live] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.dedupeKey, input.dedupeKey!), inArray(jobs.state, ["queued", "running"])))
    .limit(1);
  if (!live) return enqueueJob(db, input); // the live one finished in between
  return { job: live, created: false };
}

/**
 * Claims the next runnable job of the given kinds for this worker: jobs a person started
 * (created_by set) before scheduled ones, then the oldest. `interactiveOnly` claims only a
 * person's jobs (the worker's interactive lane, which scheduled work never fills). SKIP LOCKED
 * makes concurrent workers (several app instances) take different jobs, never the same one.
 */
export async function claimNextJob(
  db: Db,
  workerId: string,
  kinds: string[],
  opts: { interactiveOnly?: boolean } = {},
): Promise<Job | undefined> {
  if (kinds.length === 0) return undefined;
  const candidate = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.state, "queued"),
        lte(jobs.runAfter, sql`now()`),
        inArray(jobs.kind, kinds),
        opts.interactiveOnly ? isNotNull(jobs.createdBy) : undefined,
      ),
    )
    .orderBy(sql`${jobs.createdBy} is null`, jobs.runAfter, jobs.createdAt)
    .limit(1)
    .for("update", { skipLocked: true });
  const [job] = await db
    .update(jobs)
    .set({
      state: "running",
      lockedBy: workerId,
      lockedAt: sql`now()`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      attempts: sql`${jobs.attempts} + 1`,
      error: null,
    })
    .where(eq(jobs.id, sql`(${candidate})`))
    .returning();
  return job;
}

/** Proves the worker is alive; false when the job was taken away (cancelled or recovered). */
export async function heartbeat(db: Db, jobId: string, workerId: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ lockedAt: new Date() })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.state, "running")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export type ProgressUpdate = { progress?: number; progressText?: string; counts?: Record<string, unknown>; result?: unknown };

/** Stores progress as the job goes, so a reload (or another instance) shows the same bar. */
export async function updateJobProgress(db: Db, jobId: string, update: ProgressUpdate): Promise<void> {
  await db
    .update(jobs)
    .set({
      ...(update.progress !== undefined ? { progress: Math.max(0, Math.min(1, update.progress)) } : {}),
      ...(update.progressText !== undefined ? { progressText: update.progressText } : {}),
      ...(update.counts !== undefined ? { counts: update.counts } : {}),
      ...(update.result !== undefined ? { result: update.result } : {}),
      lockedAt: new Date(),
    })
    .where(eq(jobs.id, jobId));
}

export async function finishJob(
  db: Db,
  jobId: string,
  outcome: { state: "succeeded" | "failed" | "cancelled"; error?: string; result?: unknown },
): Promise<void> {
  await db
    .update(jobs)
    .set({
      state: outcome.state,
      error: outcome.error ?? null,
      ...(outcome.result !== undefined ? { result: outcome.result } : {}),
      ...(outcome.state === "succeeded" ? { progress: 1 } : {}),
      finishedAt: new Date(),
      lockedBy: null,
      lockedAt: null,
    })
    .where(eq(jobs.id, jobId));
}

/**
 * Jobs whose worker stopped heart-beating (a crash or restart) are queued again while they
 * have attempts left, else failed with the reason; returns how many of each.
 */
export async function recoverStaleJobs(db: Db, staleMs: number): Promise<{ requeued: number; failed: number }> {
  const cutoff = new Date(Date.now() - staleMs);
  const stale = and(eq(jobs.state, "running"), lt(jobs.lockedAt, cutoff));
  const requeued = await db
    .update(jobs)
    .set({ state: "queued", lockedBy: null, lockedAt: null, progressText: "Interrupted (the server stopped); picked up again" })
    .where(and(stale, lt(jobs.attempts, jobs.maxAttempts)))
    .returning({ id: jobs.id });
  const failed = await db
    .update(jobs)
    .set({
      state: "failed",
      lockedBy: null,
      lockedAt: null,
      finishedAt: new Date(),
      error: "Interrupted: the server running it stopped, and it has no attempts left. Run it again.",
    })
    .where(stale)
    .returning({ id: jobs.id });
  return { requeued: requeued.length, failed: failed.length };
}

/** Asks a queued or running job to stop; a running handler sees it at its next heartbeat. */
export async function cancelJob(db: Db, jobId: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ state: "cancelled", finishedAt: new Date(), lockedBy: null, lockedAt: null })
    .where(and(eq(jobs.id, jobId), inArray(jobs.state, ["queued", "running"])))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function getJob(db: Db, id: string): Promise<Job | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  return job;
}

export async function listJobs(db: Db, filter: { providerId?: number; kinds?: string[]; limit?: number } = {}) {
  const where = and(
    filter.providerId !== undefined ? eq(jobs.providerId, filter.providerId) : undefined,
    filter.kinds?.length ? inArray(jobs.kind, filter.kinds) : undefined,
  );
  return db
    .select()
    .from(jobs)
    .where(where)
    .orderBy(desc(jobs.createdAt))
    .limit(filter.limit ?? 20);
}

/**
 * Why a queued job has not started, in words for the page: how many jobs are running and how many
 * queued ones come first. Null when it is not waiting (not queued, or due later on purpose).
 */
export async function waitingReason(db: Db, job: Pick<Job, "id" | "state" | "createdBy" | "runAfter" | "createdAt">): Promise<string | null> {
  if (job.state !== "queued") return null;
  if (job.runAfter.getTime() > Date.now() + 1000) return `Scheduled to start at ${job.runAfter.toISOString().slice(11, 16)} UTC.`;
  const runAfter = sql`${job.runAfter.toISOString()}::timestamptz`;
  const createdAt = sql`${job.createdAt.toISOString()}::timestamptz`;
  const [row] = rowsOf<{ running: number; runningForPeople: number; ahead: number }>(await db.execute(sql`
    select
      (select count(*)::int from ${jobs} where ${jobs.state} = 'running') as running,
      (select count(*)::int from ${jobs} where ${jobs.state} = 'running' and ${jobs.createdBy} is not null) as "runningForPeople",
      (select count(*)::int from ${jobs}
        where ${jobs.state} = 'queued' and ${jobs.runAfter} <= now() and ${jobs.id} <> ${job.id}
          and (${jobs.createdBy} is not null) >= ${job.createdBy !== null}
          and ((${jobs.createdBy} is not null) > ${job.createdBy !== null} or ${jobs.runAfter} < ${runAfter}
               or (${jobs.runAfter} = ${runAfter} and ${jobs.createdAt} < ${createdAt}))) as ahead`));
  const jobsText = (n: number) => `${n} ${n === 1 ? "job" : "jobs"}`;
  if (row.ahead === 0 && row.running === 0) return "Starting…";
  const parts = [`${jobsText(row.running)} running${row.runningForPeople ? ` (${row.runningForPeople} started by people)` : ""}`];
  if (row.ahead) parts.push(`${jobsText(row.ahead)} ahead of this one`);
  return `Waiting for a free worker: ${parts.join(", ")}.${job.createdBy === null ? " Scheduled work waits for jobs people start." : ""}`;
}
