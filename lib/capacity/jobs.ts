// The capacity snapshot job: one admin client per run, closed at the end.
import { openAdminClient } from "@/lib/providers/connection";
import { registerJobHandler, type JobContext } from "@/lib/jobs/runner";
import { CAPACITY_SNAPSHOT_JOB } from "./schedule";
import { takeSnapshot } from "./service";

export { CAPACITY_SNAPSHOT_JOB };

export async function capacitySnapshotJobHandler({ job, db, progress }: JobContext) {
  if (job.providerId === null) throw new Error("This capacity job names no provider.");
  await progress({ progress: 0.1, progressText: "Reading Placement…" });
  const { client } = await openAdminClient(db, job.providerId);
  try {
    const snap = await takeSnapshot(db, client, job.providerId, { jobId: job.id });
    await progress({ progress: 1, progressText: `${snap.hosts.length} hosts read.` });
    return { snapshotId: snap.id, hosts: snap.hosts.length, classes: snap.totals.length };
  } finally {
    await client.close();
  }
}

export function registerCapacityJobHandlers(): void {
  registerJobHandler(CAPACITY_SNAPSHOT_JOB, capacitySnapshotJobHandler);
}
