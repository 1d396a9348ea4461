"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { JobProgress } from "@/components/jobs/job-progress";
import { isLive, useJob, type JobView } from "@/components/jobs/use-job";
import { Select } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { stepLabel } from "@/lib/accounts/steps";
import { formatDateTime } from "@/lib/utils";
import { UserStatusBadge } from "./state-badge";

type UserStatus = { status: "queued" | "running" | "done" | "failed"; step: string | null; error: string | null; identityId: number | null; changes?: string[] };

const ORDER = { running: 0, failed: 1, queued: 2, done: 3 } as const;
const SHOWN = 200;

const KIND_LABEL: Record<string, string> = { "accounts.provision": "Provisioning", "accounts.remove": "Removal" };

/**
 * A provisioning or removal job: its bar and, per user, the step it is on, done, or failed
 * with OpenStack's message. Polls while the job runs and refreshes the page when it ends.
 */
export function AccountJob({ jobId, initial, onRetry }: { jobId: string; initial?: JobView; onRetry?: (usernames: string[]) => void }) {
  const router = useRouter();
  const { data: job } = useJob(jobId, initial);
  const [filter, setFilter] = useState<"all" | UserStatus["status"]>("all");
  const wasLive = useRef(isLive(initial?.state ?? "queued"));
  useEffect(() => {
    if (!job) return;
    if (wasLive.current && !isLive(job.state)) router.refresh();
    wasLive.current = isLive(job.state);
  }, [job, router]);

  const users = useMemo(() => {
    const map = ((job?.counts as { users?: Record<string, UserStatus> } | undefined)?.users ?? {}) as Record<string, UserStatus>;
    return Object.entries(map).sort(([, a], [, b]) => ORDER[a.status] - ORDER[b.status]);
  }, [job]);
  const shown = users.filter(([, s]) => filter === "all" || s.status === filter);
  const failed = users.filter(([, s]) => s.status === "failed").map(([u]) => u);
  const isProvision = job?.kind === "accounts.provision";
  const kind = KIND_LABEL[job?.kind ?? ""] ?? "Job";
  const label = users.length ? `${kind} of ${users.length} ${users.length === 1 ? "account" : "accounts"}` : kind;

  return (
    <section aria-label={`Job ${jobId}`} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-job-id={jobId}>
      <JobProgress jobId={jobId} initial={initial} label={label} />
      {job ? <p className="text-xs text-slate-500">Started {formatDateTime(job.startedAt ?? job.createdAt)}{job.finishedAt ? ` · finished ${formatDateTime(job.finishedAt)}` : ""}</p> : null}
      {users.length > 0 ? (
        <>
          <div className="flex flex-wrap items-end justify-between gap-3">
            <div className="w-44">
              <label className="grid gap-1 text-xs font-medium text-slate-600" htmlFor={`filter-${jobId}`}>
                Show
                <Select id={`filter-${jobId}`} value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
                  <option value="all">every user ({users.length})</option>
                  <option value="running">running</option>
                  <option value="failed">failed ({failed.length})</option>
                  <option value="queued">queued</option>
                  <option value="done">done</option>
                </Select>
              </label>
            </div>
            {isProvision && onRetry && failed.length > 0 && job && !isLive(job.state) ? (
              <button type="button" className="text-sm font-medium text-brand-600 hover:underline" onClick={() => onRetry(failed)}>
                Retry the {failed.length} failed {failed.length === 1 ? "user" : "users"}
              </button>
            ) : null}
          </div>
          <div className="max-h-96 overflow-y-auto rounded-md border border-slate-200">
            <Table aria-label="Per-user progress">
              <THead>
                <tr>
                  <TH>User</TH>
                  <TH>Status</TH>
                  <TH>Step</TH>
                  <TH>Details</TH>
                </tr>
              </THead>
              <TBody>
                {shown.slice(0, SHOWN).map(([username, s]) => (
                  <TR key={username} data-username={username} data-status={s.status}>
                    <TD className="font-medium">{username}</TD>
                    <TD>
                      <UserStatusBadge status={s.status} />
                    </TD>
                    <TD className="text-slate-600">{s.step ? stepLabel(s.step) : "—"}</TD>
                    <TD className="max-w-xl break-words text-xs">
                      {s.error ? (
                        <span className="text-red-700">{s.error}</span>
                      ) : s.status === "done" ? (
                        <span className="text-slate-600">{s.changes?.length ? s.changes.join(", ") : "nothing to change"}</span>
                      ) : null}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
          {shown.length > SHOWN ? <p className="text-xs text-slate-500">…and {shown.length - SHOWN} more; filter to see them.</p> : null}
        </>
      ) : null}
    </section>
  );
}
