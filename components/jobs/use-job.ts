"use client";

import { useQuery } from "@tanstack/react-query";

export type JobView = {
  id: string;
  kind: string;
  providerId: number | null;
  state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progress: number;
  progressText: string | null;
  counts: Record<string, unknown>;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export const isLive = (state?: JobView["state"]) => state === "queued" || state === "running";

/** A job, re-fetched every second while it is queued or running. */
export function useJob(id: string | null | undefined, initial?: JobView) {
  return useQuery<JobView>({
    queryKey: ["job", id],
    enabled: Boolean(id),
    initialData: initial,
    queryFn: async () => {
      const res = await fetch(`/api/jobs/${id}`, { cache: "no-store" });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`);
      return res.json();
    },
    refetchInterval: (q) => (isLive(q.state.data?.state) || !q.state.data ? 1000 : false),
  });
}
