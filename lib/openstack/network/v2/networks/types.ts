import { z } from "zod";

export const networkSchema = z
  .looseObject({
    id: z.string(),
    name: z.string().default(""),
    status: z.string().nullish(),
    admin_state_up: z.boolean().default(true),
    shared: z.boolean().default(false),
    "router:external": z.boolean().default(false),
    project_id: z.string().nullish(),
    tenant_id: z.string().nullish(),
    subnets: z.array(z.string()).default([]),
    mtu: z.number().nullish(),
    description: z.string().nullish(),
    availability_zones: z.array(z.string()).default([]),
    "provider:network_type": z.string().nullish(),
    "provider:physical_network": z.string().nullish(),
    "provider:segmentation_id": z.number().nullish(),
  })
  .transform((n) => ({
    id: n.id,
    name: n.name,
    status: n.status ?? null,
    adminStateUp: n.admin_state_up,
    shared: n.shared,
    /** `router:external`: floating IPs and router gateways come from it. */
    routerExternal: n["router:external"],
    projectId: n.project_id ?? n.tenant_id ?? null,
    subnetIds: n.subnets,
    mtu: n.mtu ?? null,
    description: n.description ?? "",
    availabilityZones: n.availability_zones,
    providerNetworkType: n["provider:network_type"] ?? null,
    providerPhysicalNetwork: n["provider:physical_network"] ?? null,
    providerSegmentationId: n["provider:segmentation_id"] ?? null,
    raw: n,
  }));

export type Network = z.output<typeof networkSchema>;

export interface ListNetworksOptions {
  name?: string;
  routerExternal?: boolean;
  shared?: boolean;
  projectId?: string;
  status?: string;
  limit?: number;
}

export interface CreateNetworkOptions {
  name: string;
  projectId?: string;
  description?: string;
  adminStateUp?: boolean;
  shared?: boolean;
  routerExternal?: boolean;
  mtu?: number;
}
