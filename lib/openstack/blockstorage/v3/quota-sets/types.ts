import { z } from "zod";

const n = z.number().default(0);

/** Cinder's quota values for a project; -1 means unlimited. Per-volume-type keys stay in `raw`. */
export const volumeQuotaSetSchema = z
  .looseObject({ volumes: n, gigabytes: n, snapshots: n, backups: n, backup_gigabytes: n, per_volume_gigabytes: n })
  .transform((q) => ({
    volumes: q.volumes,
    gigabytes: q.gigabytes,
    snapshots: q.snapshots,
    backups: q.backups,
    backupGigabytes: q.backup_gigabytes,
    perVolumeGigabytes: q.per_volume_gigabytes,
    raw: q,
  }));

export type VolumeQuotaSet = z.output<typeof volumeQuotaSetSchema>;

const usage = z
  .looseObject({ limit: z.number(), in_use: z.number().default(0), reserved: z.number().default(0) })
  .transform((u) => ({ limit: u.limit, inUse: u.in_use, reserved: u.reserved }))
  .default({ limit: 0, inUse: 0, reserved: 0 });

/** `?usage=true`: each value with what the project uses and has reserved. */
export const volumeQuotaUsageSchema = z
  .looseObject({ volumes: usage, gigabytes: usage, snapshots: usage, backups: usage, backup_gigabytes: usage })
  .transform((q) => ({
    volumes: q.volumes,
    gigabytes: q.gigabytes,
    snapshots: q.snapshots,
    backups: q.backups,
    backupGigabytes: q.backup_gigabytes,
  }));

export type VolumeQuotaUsage = z.output<typeof volumeQuotaUsageSchema>;

/** -1 means unlimited; values left out are not changed. */
export interface UpdateVolumeQuotaSetOptions {
  volumes?: number;
  gigabytes?: number;
  snapshots?: number;
  backups?: number;
  backupGigabytes?: number;
  perVolumeGigabytes?: number;
}
