import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import {
  quotaSetDetailSchema,
  quotaSetSchema,
  type QuotaSet,
  type QuotaSetDetail,
  type UpdateQuotaSetOptions,
} from "./types";
import { quotaSetDetailUrl, quotaSetUrl } from "./urls";

const one = z.object({ quota_set: quotaSetSchema });

/** Gets a project's compute quotas. GET /v2.1/os-quota-sets/{project_id} */
export async function getQuotaSet(sc: ServiceClient, projectId: string): Promise<QuotaSet> {
  return (await sc.getJson(quotaSetUrl(projectId), one)).quota_set;
}

/** Gets a project's compute quotas with usage. GET /v2.1/os-quota-sets/{project_id}/detail */
export async function getQuotaSetDetail(sc: ServiceClient, projectId: string): Promise<QuotaSetDetail> {
  return (await sc.getJson(quotaSetDetailUrl(projectId), z.object({ quota_set: quotaSetDetailSchema }))).quota_set;
}

/** Updates a project's compute quotas. PUT /v2.1/os-quota-sets/{project_id} */
export async function updateQuotaSet(
  sc: ServiceClient,
  projectId: string,
  opts: UpdateQuotaSetOptions,
): Promise<QuotaSet> {
  const res = await sc.request("PUT", quotaSetUrl(projectId), {
    json: {
      quota_set: {
        cores: opts.cores,
        ram: opts.ramMb,
        instances: opts.instances,
        key_pairs: opts.keyPairs,
        metadata_items: opts.metadataItems,
        server_groups: opts.serverGroups,
        server_group_members: opts.serverGroupMembers,
        ...(opts.force ? { force: true } : {}),
      },
    },
  });
  return sc.parse(one, res).quota_set;
}
