import { z } from "zod";

export const portSchema = z
  .looseObject({
    id: z.string(),
    name: z.string().default(""),
    network_id: z.string(),
    device_id: z.string().default(""),
    device_owner: z.string().default(""),
    mac_address: z.string().nullish(),
    status: z.string().nullish(),
    admin_state_up: z.boolean().default(true),
    fixed_ips: z.array(z.object({ subnet_id: z.string(), ip_address: z.string() })).default([]),
    security_groups: z.array(z.string()).default([]),
    project_id: z.string().nullish(),
    tenant_id: z.string().nullish(),
    "binding:host_id": z.string().nullish(),
    "binding:vif_type": z.string().nullish(),
    "binding:vnic_type": z.string().nullish(),
    description: z.string().nullish(),
  })
  .transform((p) => ({
    id: p.id,
    name: p.name,
    networkId: p.network_id,
    deviceId: p.device_id,
    /** e.g. compute:nova, network:router_interface, network:router_gateway. */
    deviceOwner: p.device_owner,
    macAddress: p.mac_address ?? null,
    status: p.status ?? null,
    adminStateUp: p.admin_state_up,
    fixedIps: p.fixed_ips.map((ip) => ({ subnetId: ip.subnet_id, ipAddress: ip.ip_address })),
    securityGroupIds: p.security_groups,
    projectId: p.project_id ?? p.tenant_id ?? null,
    bindingHostId: p["binding:host_id"] ?? null,
    bindingVifType: p["binding:vif_type"] ?? null,
    bindingVnicType: p["binding:vnic_type"] ?? null,
    description: p.description ?? "",
    raw: p,
  }));

export type Port = z.output<typeof portSchema>;

export interface ListPortsOptions {
  networkId?: string;
  deviceId?: string;
  deviceOwner?: string;
  projectId?: string;
  name?: string;
  limit?: number;
}

export interface CreatePortOptions {
  networkId: string;
  name?: string;
  fixedIps?: Array<{ subnetId: string; ipAddress?: string }>;
  securityGroupIds?: string[];
  projectId?: string;
  description?: string;
}
