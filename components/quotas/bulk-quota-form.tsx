"use client";

import { plural } from "@/lib/domain/format";
import { ReauthPrompt, useRetryableAction } from "@/components/auth/reauth-prompt";
import { JobProgress } from "@/components/jobs/job-progress";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";

type Result = { jobId: string; count: number; alreadyQueued: boolean };
export type BulkQuotaAction = (prev: ActionResult<Result> | null, form: FormData) => Promise<ActionResult<Result>>;

/**
 * The bulk change's controls; the account checkboxes (name "identityIds") live in the table and
 * join this form through the `form` attribute.
 */
export function BulkQuotaForm({
  formId,
  providerId,
  tiers,
  action,
}: {
  formId: string;
  providerId: number;
  tiers: Array<{ id: number; name: string; isDefault: boolean }>;
  action: BulkQuotaAction;
}) {
  const [state, dispatch, pending, retry] = useRetryableAction(action);
  return (
    <div className="grid gap-3">
      <form id={formId} action={dispatch} className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="providerId" value={providerId} />
        <div className="w-64">
          <Field id="bulk-tier" label="Tier for the selected accounts">
            <Select id="bulk-tier" name="tierId" defaultValue="">
              <option value="">Provider default ({tiers.find((t) => t.isDefault)?.name ?? "none"})</option>
              {tiers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="clearCustom" /> Clear custom values
        </label>
        <Button type="submit" disabled={pending}>
          {pending ? "Queueing…" : "Apply to selected"}
        </Button>
      </form>
      {state && !state.ok ? (
        state.error.code === "reauth_required" ? (
          <ReauthPrompt error={state.error} onConfirmed={retry} />
        ) : (
          <Alert tone="error">{state.error.message}</Alert>
        )
      ) : null}
      {state?.ok ? (
        <>
          <Alert tone="info">
            {state.data.alreadyQueued ? "A bulk change is already running; showing it." : `Changing ${plural(state.data.count, "account")}.`}
          </Alert>
          <JobProgress jobId={state.data.jobId} label="Bulk quota change" />
        </>
      ) : null}
    </div>
  );
}
