"use client";

import { useActionState } from "react";
import { ReauthPrompt, useRetryableAction } from "@/components/auth/reauth-prompt";
import { JobProgress } from "@/components/jobs/job-progress";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/errors";

type JobResult = { jobId: string; message: string };
type RowResult = { message: string; jobId?: string };

/** "Check now" and "Apply all", each followed live as a job. */
export function DriftControls({
  providerId,
  latestJobId,
  action,
}: {
  providerId: number;
  latestJobId: string | null;
  action: (prev: ActionResult<JobResult> | null, form: FormData) => Promise<ActionResult<JobResult>>;
}) {
  const [state, dispatch, pending, retry] = useRetryableAction(action);
  const jobId = state?.ok ? state.data.jobId : latestJobId;
  return (
    <div className="grid gap-3">
      <form action={dispatch} className="flex flex-wrap gap-2">
        <input type="hidden" name="providerId" value={providerId} />
        <Button type="submit" name="op" value="check" disabled={pending}>
          Check now
        </Button>
        <Button type="submit" name="op" value="apply_all" variant="secondary" disabled={pending}>
          Apply all
        </Button>
      </form>
      {state && !state.ok ? (
        state.error.code === "reauth_required" ? (
          <ReauthPrompt error={state.error} onConfirmed={retry} />
        ) : (
          <Alert tone="error">{state.error.message}</Alert>
        )
      ) : null}
      {state?.ok ? <Alert tone="info">{state.data.message}</Alert> : null}
      {jobId ? <JobProgress key={jobId} jobId={jobId} label="Drift job" /> : null}
    </div>
  );
}

/** Apply / Accept / Ignore for one difference. */
export function DriftRowActions({
  providerId,
  findingId,
  label,
  canApply,
  canAccept,
  action,
}: {
  providerId: number;
  findingId: number;
  label: string;
  canApply: boolean;
  canAccept: boolean;
  action: (prev: ActionResult<RowResult> | null, form: FormData) => Promise<ActionResult<RowResult>>;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <div className="grid gap-1">
      <form action={dispatch} className="flex flex-wrap gap-1">
        <input type="hidden" name="providerId" value={providerId} />
        <input type="hidden" name="findingId" value={findingId} />
        {canApply ? (
          <Button type="submit" size="sm" name="op" value="apply" disabled={pending} aria-label={`Apply ${label}`}>
            Apply
          </Button>
        ) : null}
        {canAccept ? (
          <Button type="submit" size="sm" variant="secondary" name="op" value="accept" disabled={pending} aria-label={`Accept ${label}`}>
            Accept
          </Button>
        ) : null}
        <Button type="submit" size="sm" variant="ghost" name="op" value="ignore" disabled={pending} aria-label={`Ignore ${label}`}>
          Ignore
        </Button>
      </form>
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-700">
          {state.error.message}
        </p>
      ) : null}
      {state?.ok ? <p className="text-xs text-slate-700">{state.data.message}</p> : null}
      {state?.ok && state.data.jobId ? <JobProgress jobId={state.data.jobId} label="Apply" /> : null}
    </div>
  );
}
