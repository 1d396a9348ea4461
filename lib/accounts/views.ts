import type { Job } from "@/lib/db/schema";
import type { AccountRow } from "./queries";

/** A job as the progress components read it (the shape of GET /api/jobs/:id). */
export type AccountJobView = {
  id: string;
  kind: string;
  providerId: number | null;
  state: Job["state"];
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

export function jobView(job: Job): AccountJobView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: job.id,
    kind: job.kind,
    providerId: job.providerId,
    state: job.state,
    progress: job.progress,
    progressText: job.progressText,
    counts: (job.counts ?? {}) as Record<string, unknown>,
    result: job.result,
    error: job.error,
    attempts: job.attempts,
    createdAt: job.createdAt.toISOString(),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
  };
}

/** An account row for client components: plain values only. */
export type AccountView = {
  id: number;
  username: string;
  projectName: string;
  state: AccountRow["state"];
  lastStep: string | null;
  lastError: string | null;
  projectId: string | null;
  openstackUserId: string | null;
  networkId: string | null;
  subnetId: string | null;
  subnetCidr: string | null;
  routerId: string | null;
  routerOwned: boolean;
  updatedAt: string;
  endDate: string | null;
};

export function accountView(r: AccountRow): AccountView {
  return {
    id: r.id,
    username: r.username,
    projectName: r.projectName,
    state: r.state,
    lastStep: r.lastStep,
    lastError: r.lastError,
    projectId: r.projectId,
    openstackUserId: r.openstackUserId,
    networkId: r.networkId,
    subnetId: r.subnetId,
    subnetCidr: r.subnetCidr,
    routerId: r.routerId,
    routerOwned: r.routerOwned,
    updatedAt: r.updatedAt.toISOString(),
    endDate: r.endDate ? r.endDate.toISOString() : null,
  };
}
