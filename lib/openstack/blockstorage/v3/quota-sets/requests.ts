import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import {
  volumeQuotaSetSchema,
  volumeQuotaUsageSchema,
  type UpdateVolumeQuotaSetOptions,
  type VolumeQuotaSet,
  type VolumeQuotaUsage,
} from "./types";
import { quotaSetUrl } from "./urls";

const one = z.object({ quota_set: volumeQuotaSetSchema });

/** Gets a project's block-storage quotas. GET /v3/{admin_project}/os-quota-sets/{project_id} */
export async function getVolumeQuotaSet(sc: ServiceClient, projectId: string): Promise<VolumeQuotaSet> {
  return (await sc.getJson(quotaSetUrl(projectId), one)).quota_set;
}

/** Gets a project's block-storage quotas with usage. GET /v3/{admin_project}/os-quota-sets/{project_id}?usage=true */
export async function getVolumeQuotaUsage(sc: ServiceClient, projectId: string): Promise<VolumeQuotaUsage> {
  return (await sc.getJson(quotaSetUrl(projectId), z.object({ quota_set: volumeQuotaUsageSchema }), { query: { usage: "true" } }))
    .quota_set;
}

/**
 * Updates a project's block-storage quotas (values left out stay as they are); Cinder answers
 * with the whole set. PUT /v3/{admin_project}/os-quota-sets/{project_id}
 */
export async function updateVolumeQuotaSet(
  sc: ServiceClient,
  projectId: string,
  opts: UpdateVolumeQuotaSetOptions,
): Promise<VolumeQuotaSet> {
  const res = await sc.request("PUT", quotaSetUrl(projectId), {
    json: {
      quota_set: {
        volumes: opts.volumes,
        gigabytes: opts.gigabytes,
        snapshots: opts.snapshots,
        backups: opts.backups,
        backup_gigabytes: opts.backupGigabytes,
        per_volume_gigabytes: opts.perVolumeGigabytes,
      },
    },
  });
  return sc.parse(one, res).quota_set;
}
