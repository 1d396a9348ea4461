"use client";

import { useTransition } from "react";
import type { JobView } from "@/components/jobs/use-job";
import type { AccountActions } from "@/lib/accounts/actions";
import { AccountJob } from "./account-job";
import { useAccountJobs } from "./jobs-context";

/** Every account job the page follows, newest first; failed users can be retried from here. */
export function AccountJobs({
  providerId,
  initial,
  provisionAccounts,
}: {
  providerId: number;
  initial: JobView[];
  provisionAccounts: AccountActions["provisionAccounts"];
}) {
  const { jobIds, addJob } = useAccountJobs();
  const [, start] = useTransition();
  const byId = new Map(initial.map((j) => [j.id, j]));
  if (jobIds.length === 0) return null;
  const retry = (usernames: string[]) =>
    start(async () => {
      const r = await provisionAccounts({ providerId, usernames });
      if (r.ok) addJob(r.data.jobId);
    });
  return (
    <div className="grid gap-3" aria-label="Account jobs">
      {jobIds.map((id) => (
        <AccountJob key={id} jobId={id} initial={byId.get(id)} onRetry={retry} />
      ))}
    </div>
  );
}
