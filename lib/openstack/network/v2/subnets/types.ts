import { z } from "zod";

export interface AllocationPool {
  start: string;
  end: string;
}

export const subnetSchema = z
  .looseObject({
    id: z.string(),
    name: z.string().default(""),
    network_id: z.string(),
    cidr: z.string(),
    ip_version: z.number(),
    gateway_ip: z.string().nullish(),
    enable_dhcp: z.boolean().default(true),
    allocation_pools: z.array(z.object({ start: z.string(), end: z.string() })).default([]),
    dns_nameservers: z.array(z.string()).default([]),
    host_routes: z.array(z.object({ destination: z.string(), nexthop: z.string() })).default([]),
    project_id: z.string().nullish(),
    tenant_id: z.string().nullish(),
    subnetpool_id: z.string().nullish(),
    description: z.string().nullish(),
  })
  .transform((s) => ({
    id: s.id,
    name: s.name,
    networkId: s.network_id,
    cidr: s.cidr,
    ipVersion: s.ip_version,
    gatewayIp: s.gateway_ip ?? null,
    enableDhcp: s.enable_dhcp,
    allocationPools: s.allocation_pools,
    dnsNameservers: s.dns_nameservers,
    hostRoutes: s.host_routes,
    projectId: s.project_id ?? s.tenant_id ?? null,
    subnetPoolId: s.subnetpool_id ?? null,
    description: s.description ?? "",
    raw: s,
  }));

export type Subnet = z.output<typeof subnetSchema>;

export interface ListSubnetsOptions {
  name?: string;
  networkId?: string;
  projectId?: string;
  cidr?: string;
  ipVersion?: 4 | 6;
  limit?: number;
}

export interface CreateSubnetOptions {
  networkId: string;
  cidr: string;
  name?: string;
  ipVersion?: 4 | 6;
  /** null disables the gateway; omitted lets Neutron pick the first address. */
  gatewayIp?: string | null;
  enableDhcp?: boolean;
  allocationPools?: AllocationPool[];
  dnsNameservers?: string[];
  projectId?: string;
  description?: string;
}
