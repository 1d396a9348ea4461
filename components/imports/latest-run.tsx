"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { JobProgress } from "@/components/jobs/job-progress";
import { isLive, useJob, type JobView } from "@/components/jobs/use-job";
import { formatCounts, type ImportCounts } from "@/lib/imports/resources";

/**
 * The newest run of one resource: a live bar while it runs, then its outcome and counts. When
 * a run ends the page is refreshed, so the history and the tables' numbers follow.
 */
export function LatestRun({ run, label }: { run: JobView; label: string }) {
  const router = useRouter();
  const { data } = useJob(run.id, run);
  const wasLive = useRef(isLive(run.state));
  const state = data?.state ?? run.state;
  useEffect(() => {
    if (wasLive.current && !isLive(state)) {
      wasLive.current = false;
      router.refresh();
    }
  }, [state, router]);
  const counts = (data?.counts ?? run.counts) as Partial<ImportCounts>;
  return (
    <div className="grid gap-1.5">
      <JobProgress jobId={run.id} initial={run} label={`${label} import`} />
      {counts && Object.keys(counts).length ? (
        <p className="text-sm text-slate-700" data-testid="import-counts">
          {formatCounts(counts)}
          {counts.skipped ? <span className="text-slate-500"> · {counts.skipped} skipped</span> : null}
        </p>
      ) : null}
    </div>
  );
}
