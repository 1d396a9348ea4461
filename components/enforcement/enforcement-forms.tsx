"use client";

import { plural } from "@/lib/domain/format";
import { useActionState } from "react";
import { needsReauth, ReauthPrompt, useRetryableAction } from "@/components/auth/reauth-prompt";
import { JobProgress } from "@/components/jobs/job-progress";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ActionResult } from "@/lib/actions/errors";
import type { DryRunResult, RunNowResult } from "@/lib/enforcement/actions";

type FormAction<T> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

export type PolicyValues = { thresholds: number[]; action: string; graceHours: number; enabled: boolean; intervalMinutes: number };

export const ACTION_LABELS: Record<string, string> = {
  none: "Nothing (notify only)",
  stop: "Stop the user's running servers",
  shelve: "Shelve the user's servers",
  zero_cores: "Set the cores quota to 0 (no new servers)",
};

/** The provider's enforcement policy. */
export function PolicyForm({ providerId, values, action }: { providerId: number; values: PolicyValues; action: FormAction<{ message: string }> }) {
  const [state, dispatch, pending, retry] = useRetryableAction(action);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  // One message per item ("thresholds.1") lands on the one field.
  const thresholdErrors = fe ? [...new Set(Object.entries(fe).flatMap(([k, v]) => (k === "thresholds" || k.startsWith("thresholds.") ? v : [])))] : [];
  return (
    <>
    {needsReauth(state) ? <ReauthPrompt error={state.error} onConfirmed={retry} /> : null}
    <form action={dispatch} className="grid gap-4" noValidate aria-label="Enforcement policy">
      <input type="hidden" name="providerId" value={providerId} />
      {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
      {state && !state.ok && state.error.code !== "reauth_required" ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div className="grid gap-4 md:grid-cols-2">
        <Field id="thresholds" label="Notify at (% of the allocation)" hint="Comma list; each notice is sent once per allocation period. Example: 80, 100" error={thresholdErrors.length ? thresholdErrors : undefined}>
          <Input id="thresholds" name="thresholds" defaultValue={values.thresholds.join(", ")} />
        </Field>
        <Field id="action" label="At 100 %" error={fe?.action}>
          <Select id="action" name="action" defaultValue={values.action}>
            {Object.entries(ACTION_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="graceHours" label="Grace period (hours over 100 % before the action)" hint="0: act at the first run over 100 %." error={fe?.graceHours}>
          <Input id="graceHours" name="graceHours" inputMode="numeric" defaultValue={String(values.graceHours)} className="w-28" />
        </Field>
        <Field id="intervalMinutes" label="Run every (minutes)" error={fe?.intervalMinutes}>
          <Input id="intervalMinutes" name="intervalMinutes" inputMode="numeric" defaultValue={String(values.intervalMinutes)} className="w-28" />
        </Field>
      </div>
      <label className="flex items-start gap-2 text-sm text-slate-800" htmlFor="enabled">
        <input id="enabled" type="checkbox" name="enabled" defaultChecked={values.enabled} className="mt-1" />
        <span>
          <span className="font-medium">Enforcement enabled</span>
          <span className="block text-xs text-slate-500">
            Off: the schedule only enforces users set to “always enforce” and gives back what enforcement still holds (a dry run still shows what would happen).
          </span>
        </span>
      </label>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save policy"}
        </Button>
      </div>
    </form>
    </>
  );
}

const ACTION_TONE: Record<string, "neutral" | "info" | "warning" | "danger" | "success"> = { none: "neutral", stop: "danger", shelve: "danger", zero_cores: "warning", restore: "success" };

/** "If enforcement ran now": computed on request, changes nothing. */
export function DryRun({ providerId, action }: { providerId: number; action: FormAction<DryRunResult> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const r = state?.ok ? state.data : null;
  return (
    <div className="grid gap-3">
      <form action={dispatch}>
        <input type="hidden" name="providerId" value={providerId} />
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Measuring…" : "Dry run: if enforcement ran now"}
        </Button>
      </form>
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      {r?.serversError ? <Alert tone="warning">{r.serversError} Servers affected are not shown.</Alert> : null}
      {r ? (
        r.rows.length === 0 ? (
          <p className="text-sm text-slate-700" data-testid="dry-run-summary">
            Nobody is at a threshold: of {plural(r.accounts, "account")}, none would be notified or enforced.
          </p>
        ) : (
          <>
            <p className="text-sm text-slate-700" data-testid="dry-run-summary">
              {r.total} of {r.accounts} accounts at a threshold{r.shown < r.total ? ` (the ${r.shown} highest shown)` : ""}; usage in {r.unit}.
            </p>
            <Table aria-label="Dry run">
              <THead>
                <TR>
                  <TH>User</TH>
                  <TH className="text-right">Usage</TH>
                  <TH className="text-right">Allocation</TH>
                  <TH className="text-right">Used</TH>
                  <TH>Action</TH>
                  <TH>Servers affected</TH>
                  <TH>Why</TH>
                </TR>
              </THead>
              <TBody>
                {r.rows.map((row) => (
                  <TR key={row.userId} data-username={row.username}>
                    <TD className="font-medium">
                      <a className="text-brand-700 hover:underline" href={`/providers/${providerId}/allocation/users/${row.userId}`}>
                        {row.username}
                      </a>
                      {row.override !== "default" ? <span className="ml-2 text-xs text-slate-500">({row.override})</span> : null}
                    </TD>
                    <TD className="text-right tabular-nums">{row.used}</TD>
                    <TD className="text-right tabular-nums">{row.allocation}</TD>
                    <TD className="text-right tabular-nums">{row.percent === null ? "—" : `${row.percent} %`}</TD>
                    <TD>
                      <Badge tone={ACTION_TONE[row.action] ?? "neutral"}>{row.action === "none" ? (row.notifyAt ? `notify ${row.notifyAt} %` : "none") : row.action}</Badge>
                    </TD>
                    <TD className="text-sm">{row.servers.length ? row.servers.join(", ") : "—"}</TD>
                    <TD className="text-sm text-slate-700">
                      {row.reason}
                      {row.enforced ? <span className="block text-xs text-slate-500">{row.enforced}</span> : null}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </>
        )
      ) : null}
    </div>
  );
}

/** Queue a run now, then follow it. */
export function RunNow({ providerId, latestJobId, action }: { providerId: number; latestJobId: string | null; action: FormAction<RunNowResult> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const jobId = state?.ok ? state.data.jobId : latestJobId;
  return (
    <div className="grid gap-3">
      <form action={dispatch}>
        <input type="hidden" name="providerId" value={providerId} />
        <Button type="submit" disabled={pending}>
          Run enforcement now
        </Button>
      </form>
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      {state?.ok ? <Alert tone="info">{state.data.message}</Alert> : null}
      {jobId ? <JobProgress key={jobId} jobId={jobId} label="Enforcement run" /> : null}
    </div>
  );
}

/** Per-user override on the user's allocation page. */
export function OverrideForm({
  providerId,
  userId,
  value,
  reason,
  action,
}: {
  providerId: number;
  userId: number;
  value: string;
  reason: string | null;
  action: FormAction<{ message: string }>;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form action={dispatch} className="grid gap-3" aria-label="Enforcement override">
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="userId" value={userId} />
      {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div className="grid gap-3 md:grid-cols-2">
        <Field id="override" label="Enforcement for this user" error={fe?.override}>
          <Select id="override" name="override" defaultValue={value}>
            <option value="default">Provider default</option>
            <option value="never">Never enforce</option>
            <option value="always">Always enforce</option>
          </Select>
        </Field>
        <Field id="override-reason" label="Reason (optional, audited)" error={fe?.reason}>
          <Textarea id="override-reason" name="reason" defaultValue={reason ?? ""} rows={2} />
        </Field>
      </div>
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save override"}
        </Button>
      </div>
    </form>
  );
}

/** "Mark all read" on Notifications. */
export function MarkAllRead({ action, disabled }: { action: FormAction<{ message: string }>; disabled: boolean }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form action={dispatch} className="flex items-center gap-3">
      <input type="hidden" name="all" value="true" />
      <Button type="submit" variant="secondary" size="sm" disabled={pending || disabled}>
        Mark all as read
      </Button>
      {state?.ok ? <span className="text-sm text-slate-700">{state.data.message}</span> : null}
      {state && !state.ok ? <span className="text-sm text-red-700">{state.error.message}</span> : null}
    </form>
  );
}
