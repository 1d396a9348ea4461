import { z } from "zod";

export const floatingIpSchema = z
  .looseObject({
    id: z.string(),
    floating_ip_address: z.string(),
    floating_network_id: z.string(),
    fixed_ip_address: z.string().nullish(),
    port_id: z.string().nullish(),
    router_id: z.string().nullish(),
    status: z.string().nullish(),
    project_id: z.string().nullish(),
    tenant_id: z.string().nullish(),
    description: z.string().nullish(),
  })
  .transform((f) => ({
    id: f.id,
    floatingIpAddress: f.floating_ip_address,
    floatingNetworkId: f.floating_network_id,
    fixedIpAddress: f.fixed_ip_address ?? null,
    /** Null when not associated. */
    portId: f.port_id ?? null,
    routerId: f.router_id ?? null,
    status: f.status ?? null,
    projectId: f.project_id ?? f.tenant_id ?? null,
    description: f.description ?? "",
    raw: f,
  }));

export type FloatingIp = z.output<typeof floatingIpSchema>;

export interface ListFloatingIpsOptions {
  floatingNetworkId?: string;
  portId?: string;
  projectId?: string;
  floatingIpAddress?: string;
  /** Exact description (Neutron filters on it; callers should still check). */
  description?: string;
  limit?: number;
}

export interface CreateFloatingIpOptions {
  /** The external network to allocate from. */
  floatingNetworkId: string;
  /** Associate at once with this port. */
  portId?: string;
  fixedIpAddress?: string;
  floatingIpAddress?: string;
  projectId?: string;
  description?: string;
}
