// Taking a capacity snapshot: Placement, quota and allocation in one stored row.
import type { Db } from "@/lib/db/client";
import { classTotals } from "@/lib/domain/capacity";
import type { OpenStackClient } from "@/lib/openstack";
import { redactSecrets } from "@/lib/redact";
import { allocationWatch } from "./allocation-watch";
import { readHosts } from "./placement";
import { insertSnapshot, type Snapshot } from "./queries";
import { novaQuotaSource, type QuotaSource } from "./quota";
import type { AllocationWatch, QuotaReading } from "./types";

export type SnapshotOptions = { jobId?: string | null; quotaSource?: QuotaSource; now?: Date };

const messageOf = (error: unknown) => redactSecrets(error instanceof Error ? error.message : String(error));

/**
 * Reads the cloud and stores one snapshot. The allocation figures come from the database and
 * are stored even when the cloud cannot be read (the row then carries the error); quota is
 * best-effort and never fails the snapshot.
 */
export async function takeSnapshot(db: Db, client: OpenStackClient, providerId: number, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const allocation: AllocationWatch | null = await allocationWatch(db, providerId, opts.now);
  try {
    const hosts = await readHosts(client);
    let quota: QuotaReading | null = null;
    try {
      quota = await (opts.quotaSource ?? novaQuotaSource(client))(db, providerId);
    } catch (error) {
      quota = { source: "nova-quota-sets", projects: 0, read: 0, failed: 0, granted: [], errors: [messageOf(error)] };
    }
    return await insertSnapshot(db, providerId, { hosts, totals: classTotals(hosts), quota, allocation, error: null }, { jobId: opts.jobId });
  } catch (error) {
    await insertSnapshot(db, providerId, { hosts: [], totals: [], quota: null, allocation, error: messageOf(error) }, { jobId: opts.jobId });
    throw error;
  }
}
