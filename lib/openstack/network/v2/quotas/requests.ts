import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import {
  networkQuotaDetailsSchema,
  networkQuotaSchema,
  type NetworkQuota,
  type NetworkQuotaDetails,
  type UpdateNetworkQuotaOptions,
} from "./types";
import { quotaDetailsUrl, quotaUrl } from "./urls";

const one = z.object({ quota: networkQuotaSchema });

/** Gets a project's network quotas. GET /v2.0/quotas/{project_id} */
export async function getNetworkQuota(sc: ServiceClient, projectId: string): Promise<NetworkQuota> {
  return (await sc.getJson(quotaUrl(projectId), one)).quota;
}

/** Gets a project's network quotas with usage. GET /v2.0/quotas/{project_id}/details */
export async function getNetworkQuotaDetails(sc: ServiceClient, projectId: string): Promise<NetworkQuotaDetails> {
  return (await sc.getJson(quotaDetailsUrl(projectId), z.object({ quota: networkQuotaDetailsSchema }))).quota;
}

/** Updates a project's network quotas (values left out stay as they are). PUT /v2.0/quotas/{project_id} */
export async function updateNetworkQuota(
  sc: ServiceClient,
  projectId: string,
  opts: UpdateNetworkQuotaOptions,
): Promise<NetworkQuota> {
  const res = await sc.request("PUT", quotaUrl(projectId), {
    json: {
      quota: {
        floatingip: opts.floatingip,
        network: opts.network,
        subnet: opts.subnet,
        port: opts.port,
        router: opts.router,
        security_group: opts.securityGroup,
        security_group_rule: opts.securityGroupRule,
      },
    },
  });
  return sc.parse(one, res).quota;
}
