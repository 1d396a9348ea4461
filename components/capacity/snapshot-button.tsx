"use client";

import { useActionState } from "react";
import { JobProgress } from "@/components/jobs/job-progress";
import type { JobView } from "@/components/jobs/use-job";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/errors";

type Result = ActionResult<{ jobId: string; created: boolean; message: string }>;

/** "Take a snapshot now", with the job's live progress. */
export function SnapshotButton({
  providerId,
  action,
  liveJob,
  disabled,
}: {
  providerId: number;
  action: (prev: Result | null, form: FormData) => Promise<Result>;
  liveJob: JobView | null;
  disabled?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const jobId = state?.ok ? state.data.jobId : liveJob?.id;
  return (
    <div className="grid gap-2">
      <form action={formAction}>
        <input type="hidden" name="providerId" value={providerId} />
        <Button type="submit" size="sm" variant="secondary" disabled={pending || disabled}>
          {pending ? "Queuing…" : "Take a snapshot now"}
        </Button>
      </form>
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-700">
          {state.error.message}
        </p>
      ) : null}
      {jobId ? <JobProgress jobId={jobId} initial={liveJob?.id === jobId ? liveJob : undefined} label="Capacity snapshot" /> : null}
    </div>
  );
}
