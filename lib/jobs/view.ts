import type { Job } from "@/lib/db/schema";

/** A job as the browser sees it: GET /api/jobs/:id and the pages that embed a job. */
export type JobView = {
  id: string;
  kind: string;
  providerId: number | null;
  state: Job["state"];
  progress: number;
  progressText: string | null;
  counts: Record<string, unknown>;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why a queued job has not started yet (see waitingReason), when the caller looked it up. */
  waiting?: string | null;
};

/** Plain values only, so the same object serves JSON responses and client-component props. */
export function toJobView(job: Job, counts: Record<string, unknown> = (job.counts ?? {}) as Record<string, unknown>): JobView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: job.id,
    kind: job.kind,
    providerId: job.providerId,
    state: job.state,
    progress: job.progress,
    progressText: job.progressText,
    counts,
    result: job.result,
    error: job.error,
    attempts: job.attempts,
    createdAt: job.createdAt.toISOString(),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
  };
}
