// The capacity snapshot job: one admin client per run, closed at the end.
import { openAdminClient } from "@/lib/providers/connection";
import { registerJobHandler, type JobContext } from "@/lib/jobs/runner";
import { CAPACITY_SNAPSHOT_JOB } from "./schedule";
import { pruneSnapshots } from "./queries";
import { takeSnapshot } from "./service";

export { CAPACITY_SNAPSHOT_JOB };

/**
 * Every snapshot for 35 days (the trend and its "full in about N days" read 30), then the last
 * good one of each UTC day, kept: about 3,700 rows per provider after a year instead of 35,000.
 */
export const SNAPSHOT_RETENTION = { fullDays: 35, retentionDays: 0 } as const;

export async function capacitySnapshotJobHandler({ job, db, progress }: JobContext) {
  if (job.providerId === null) throw new Error("This capacity job names no provider.");
  // Before reading the cloud, so a cloud that stays down does not stop the thinning.
  const pruned = await pruneSnapshots(db, job.providerId, new Date(), SNAPSHOT_RETENTION);
  await progress({ progress: 0.1, progressText: "Reading Placement…" });
  const { client } = await openAdminClient(db, job.providerId);
  try {
    const snap = await takeSnapshot(db, client, job.providerId, { jobId: job.id });
    await progress({ progress: 1, progressText: `${snap.hosts.length} hosts read.` });
    return { snapshotId: snap.id, hosts: snap.hosts.length, classes: snap.totals.length, pruned };
  } finally {
    await client.close();
  }
}

export function registerCapacityJobHandlers(): void {
  registerJobHandler(CAPACITY_SNAPSHOT_JOB, capacitySnapshotJobHandler);
}
