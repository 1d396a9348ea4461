"use client";

import { Badge } from "@/components/ui/badge";
import { isLive, useJob, type JobView } from "./use-job";

const TONE = { queued: "neutral", running: "info", succeeded: "success", failed: "danger", cancelled: "warning" } as const;

/** A live progress bar for a background job, with its state, latest step and error. */
export function JobProgress({ jobId, initial, label }: { jobId: string; initial?: JobView; label?: string }) {
  const { data: job, error } = useJob(jobId, initial);
  if (error) return <p className="text-sm text-red-600">Could not read the job: {error.message}</p>;
  if (!job) return <p className="text-sm text-slate-500">Loading…</p>;
  const pct = Math.round((job.state === "succeeded" ? 1 : job.progress) * 100);
  return (
    <div className="grid gap-1.5" data-job-state={job.state}>
      <div className="flex items-center justify-between gap-3 text-sm">
        <span className="font-medium text-slate-800">{label ?? job.kind}</span>
        <Badge tone={TONE[job.state]}>{job.state}</Badge>
      </div>
      <div
        role="progressbar"
        aria-label={`${label ?? job.kind} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="h-2 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={`h-full rounded-full transition-all ${job.state === "failed" ? "bg-red-500" : job.state === "succeeded" ? "bg-emerald-500" : "bg-brand-500"} ${isLive(job.state) && pct === 0 ? "w-1/12 animate-pulse" : ""}`}
          style={pct > 0 ? { width: `${pct}%` } : undefined}
        />
      </div>
      <p className="text-xs text-slate-600">
        {pct}%{job.progressText ? ` — ${job.progressText}` : ""}
      </p>
      {job.state === "queued" && job.waiting ? <p className="text-xs text-slate-600" role="status">{job.waiting}</p> : null}
      {job.error ? <p className="text-sm text-red-700">{job.error}</p> : null}
    </div>
  );
}
