"use client";

import { useQuery } from "@tanstack/react-query";
import type { JobView } from "@/lib/jobs/view";
import { fetchJson, jobPollInterval } from "./polling";

export type { JobView };

export const isLive = (state?: JobView["state"]) => state === "queued" || state === "running";

/** A job, re-fetched every second while it is queued or running. */
export function useJob(id: string | null | undefined, initial?: JobView) {
  return useQuery<JobView>({
    queryKey: ["job", id],
    enabled: Boolean(id),
    initialData: initial,
    queryFn: () => fetchJson<JobView>(`/api/jobs/${id}`),
    // Not forever: a job that cannot be read (gone, signed out) stops being asked for.
    refetchInterval: (q) => jobPollInterval(q.state.data, q.state.error),
  });
}
