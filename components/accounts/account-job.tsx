"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { JobProgress } from "@/components/jobs/job-progress";
import { fetchJson } from "@/components/jobs/polling";
import { isLive, useJob, type JobView } from "@/components/jobs/use-job";
import { Select } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { stepLabel } from "@/lib/accounts/steps";
import { formatDateTime } from "@/lib/utils";
import { UserStatusBadge } from "./state-badge";
import { plural } from "@/lib/domain/format";

type UserStatus = { status: "queued" | "running" | "done" | "failed"; step: string | null; error: string | null; identityId: number | null; changes?: string[] };

type UserTotals = Record<UserStatus["status"], number> & { total: number };

const ORDER = { running: 0, failed: 1, queued: 2, done: 3 } as const;

/** Totals of a job stored before the poll sent them (or of an untrimmed map). */
function countStatuses(users: [string, UserStatus][]): UserTotals {
  const t: UserTotals = { running: 0, failed: 0, queued: 0, done: 0, total: users.length };
  for (const [, s] of users) if (s.status in t) t[s.status]++;
  return t;
}
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

  // The poll carries a bounded slice (lib/accounts/user-statuses.ts): totals, failed and not-done
  // users first. Filtering on one status asks for that status's own first page.
  const counts = job?.counts as { users?: Record<string, UserStatus>; userTotals?: UserTotals; usersTruncated?: boolean } | undefined;
  const statusPage = useQuery<{ counts: { users?: Record<string, UserStatus> } }>({
    queryKey: ["job-users", jobId, filter, job?.progress, job?.state],
    enabled: filter !== "all" && Boolean(counts?.usersTruncated),
    placeholderData: keepPreviousData,
    queryFn: () => fetchJson(`/api/jobs/${jobId}?users=${filter}&limit=${SHOWN}`),
  });
  const users = useMemo(() => {
    const map = (filter !== "all" && counts?.usersTruncated ? statusPage.data?.counts.users : counts?.users) ?? {};
    return Object.entries(map).sort(([, a], [, b]) => ORDER[a.status] - ORDER[b.status]);
  }, [counts, filter, statusPage.data]);
  const totals: UserTotals = counts?.userTotals ?? countStatuses(users);
  const shown = users.filter(([, s]) => filter === "all" || s.status === filter);
  const matching = filter === "all" ? totals.total : totals[filter];
  const retryFailed = async () => {
    if (!onRetry) return;
    if (!counts?.usersTruncated) return onRetry(users.filter(([, s]) => s.status === "failed").map(([u]) => u));
    const body = await fetchJson<{ usernames: string[] }>(`/api/jobs/${jobId}?users=failed&format=names`);
    onRetry(body.usernames);
  };
  const isProvision = job?.kind === "accounts.provision";
  const kind = KIND_LABEL[job?.kind ?? ""] ?? "Job";
  const label = totals.total ? `${kind} of ${plural(totals.total, "account")}` : kind;

  return (
    <section aria-label={`Job ${jobId}`} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-job-id={jobId}>
      <JobProgress jobId={jobId} initial={initial} label={label} />
      {job ? <p className="text-xs text-slate-500">Started {formatDateTime(job.startedAt ?? job.createdAt)}{job.finishedAt ? ` · finished ${formatDateTime(job.finishedAt)}` : ""}</p> : null}
      {totals.total > 0 ? (
        <>
          <div className="flex flex-wrap items-end justify-between gap-3">
            <div className="w-44">
              <label className="grid gap-1 text-xs font-medium text-slate-600" htmlFor={`filter-${jobId}`}>
                Show
                <Select id={`filter-${jobId}`} value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
                  <option value="all">every user ({totals.total})</option>
                  <option value="running">running</option>
                  <option value="failed">failed ({totals.failed})</option>
                  <option value="queued">queued</option>
                  <option value="done">done</option>
                </Select>
              </label>
            </div>
            {isProvision && onRetry && totals.failed > 0 && job && !isLive(job.state) ? (
              <button type="button" className="text-sm font-medium text-brand-600 hover:underline" onClick={() => void retryFailed()}>
                Retry the {plural(totals.failed, "failed user")}
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
          {matching > Math.min(shown.length, SHOWN) ? (
            <p className="text-xs text-slate-500">
              …and {matching - Math.min(shown.length, SHOWN)} more{filter === "all" ? "; filter to see them" : ""}.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
